import { Redirect } from "@/components/redirect";
import { routes } from "@/lib/urls";

export default function Home() {
  return <Redirect to={routes.chat()} />;
}
