import { redirect } from "next/navigation";
import { requirePageActor } from "@/lib/server/auth/current-actor";
import { homeFor } from "@/lib/server/navigation";

export default async function Home() {
  redirect(homeFor(await requirePageActor()));
}
