import type { Metadata } from "next";
import { ProfileView } from "@/components/profile/profile-view";

export const metadata: Metadata = { title: "Profile" };

/** The signed-in member's own account: name and password (any role). */
export default function ProfilePage() {
  return <ProfileView />;
}
