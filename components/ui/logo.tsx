export function LogoMark({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 40 40" className={className} aria-hidden="true">
      <rect width="40" height="40" rx="10" className="fill-indigo-500" />
      <path d="M20 8l10 4v7c0 6.5-4.3 11.6-10 13-5.7-1.4-10-6.5-10-13v-7l10-4z" className="fill-white/95" />
      <path
        d="M15.5 20.5l3.2 3.2 6-6.4"
        fill="none"
        strokeWidth="2.6"
        strokeLinecap="round"
        strokeLinejoin="round"
        className="stroke-indigo-600"
      />
    </svg>
  );
}
