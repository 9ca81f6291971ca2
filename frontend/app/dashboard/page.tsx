import { Redirect } from "@/components/redirect";
import { routes } from "@/lib/urls";

export default function DashboardHome() {
  return <Redirect to={routes.chat()} />;
}
