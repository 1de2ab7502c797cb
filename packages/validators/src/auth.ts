import { z } from "zod";
import { email, name } from "./common.ts";

export const password = z.string().min(10, "Use at least 10 characters.").max(200, "Use at most 200 characters.");

export const loginInput = z.object({ email, password: z.string().min(1, "Enter your password.").max(200) });
export const acceptInvitationInput = z.object({
  token: z.string().min(20).max(200),
  name: name(200).optional(),
  password,
});
export const changePasswordInput = z.object({ currentPassword: z.string().min(1, "Enter your current password.").max(200), newPassword: password });

/** A link's token as it arrives from a URL: checked by the API, only bounded here. */
const linkToken = z.string().min(1, "The link has no token.").max(200, "This link is not valid.");
export const invitationTokenInput = z.object({ token: linkToken });
export const forgotPasswordInput = z.object({ email });
export const resetTokenInput = z.object({ token: linkToken });
export const completePasswordResetInput = z.object({ token: linkToken, password });
export const updateProfileInput = z.object({ name: name(200) });
