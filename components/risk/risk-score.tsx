export function RiskScore({ score }: { score: number }) {
  const tone =
    score >= 70
      ? "bg-rose-600 text-white"
      : score >= 40
        ? "bg-amber-300 text-amber-950"
        : score >= 15
          ? "bg-amber-100 text-amber-900"
          : "bg-emerald-100 text-emerald-800";
  return (
    <span className={`risk-score ${tone}`} title={`Risk score ${score} of 100`}>
      {score}
    </span>
  );
}
