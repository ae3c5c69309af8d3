// Tests run outside React Server Components; the server-only guard is a no-op here.
export {};
