import { PasswordSection } from "./settings/PasswordSection";
import { ProfileSection } from "./settings/ProfileSection";
import { SessionsSection } from "./settings/SessionsSection";
import { StorageSection } from "./settings/StorageSection";
import { TokensSection } from "./settings/TokensSection";
import { TotpSection } from "./settings/TotpSection";

const SECTIONS: [string, string][] = [
  ["profile-title", "Profile"],
  ["password-title", "Password"],
  ["totp-title", "Two-factor authentication"],
  ["sessions-title", "Sessions"],
  ["tokens-title", "API tokens"],
  ["storage-title", "Storage"],
];

/** The account's settings, one section each, with links to jump between them. */
export default function Settings() {
  return (
    <>
      <h1>Settings</h1>
      <nav aria-label="Settings sections">
        <ul className="toolbar plain-list">
          {SECTIONS.map(([id, label]) => (
            <li key={id}>
              <a href={`#${id}`}>{label}</a>
            </li>
          ))}
        </ul>
      </nav>
      <ProfileSection />
      <PasswordSection />
      <TotpSection />
      <SessionsSection />
      <TokensSection />
      <StorageSection />
    </>
  );
}
