import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { describe, expect, it } from "vitest";
import { Api } from "../api/client";
import { AuthProvider } from "../auth/AuthProvider";
import { FakeServer, json, ME, problem } from "../test/fakeServer";
import SignIn from "./SignIn";

function renderSignIn(server: FakeServer) {
  render(
    <AuthProvider api={new Api(server.fetch)}>
      <MemoryRouter initialEntries={["/sign-in"]}>
        <Routes>
          <Route path="/sign-in" element={<SignIn />} />
          <Route path="/" element={<p>Signed in home</p>} />
        </Routes>
      </MemoryRouter>
    </AuthProvider>,
  );
}

describe("SignIn", () => {
  it("asks for the authentication code when the account has TOTP, then signs in with it", async () => {
    const server = new FakeServer()
      .on("POST /api/v1/auth/browser/refresh", () => problem(401, "authentication_failed", "No session."))
      .on("POST /api/v1/auth/browser/login", (call) =>
        (call.body as { second_factor?: string }).second_factor === "123456"
          ? json({ access_token: "at", expires_in: 900, session_id: "s" })
          : problem(401, "second_factor_required", "Enter the code from your authenticator app."),
      )
      .reply("GET /api/v1/me", ME);
    const user = userEvent.setup();
    renderSignIn(server);

    await user.type(await screen.findByLabelText("Email"), "ann@example.com");
    await user.type(screen.getByLabelText("Password"), "a long passphrase");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    const code = await screen.findByLabelText("Authentication code");
    expect(screen.queryByText("Signed in home")).toBeNull();
    await user.type(code, "123456");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByText("Signed in home")).toBeInTheDocument();
    const logins = server.callsTo("POST /api/v1/auth/browser/login").map((call) => call.body);
    expect(logins).toEqual([
      { email: "ann@example.com", password: "a long passphrase" },
      { email: "ann@example.com", password: "a long passphrase", second_factor: "123456" },
    ]);
  });

  it("shows a refused password as an alert and stays on the page", async () => {
    const server = new FakeServer()
      .on("POST /api/v1/auth/browser/refresh", () => problem(401, "authentication_failed", "No session."))
      .on("POST /api/v1/auth/browser/login", () => problem(401, "authentication_failed", "Wrong email or password."));
    const user = userEvent.setup();
    renderSignIn(server);

    await user.type(await screen.findByLabelText("Email"), "ann@example.com");
    await user.type(screen.getByLabelText("Password"), "wrong one here");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("Wrong email or password.");
    expect(screen.queryByLabelText("Authentication code")).toBeNull();
  });
});
