import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { Api } from "../api/client";
import type { Me } from "../api/types";

interface AuthState {
  api: Api;
  /** undefined while the session is being restored; null when signed out. */
  me: Me | null | undefined;
  signIn: (email: string, password: string, secondFactor?: string) => Promise<void>;
  signOut: () => Promise<void>;
  reloadMe: () => Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ api, children }: { api: Api; children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);

  const reloadMe = useCallback(async () => {
    setMe(await api.get<Me>("/api/v1/me"));
  }, [api]);

  useEffect(() => {
    api.onSignedOut = () => setMe(null);
    let live = true;
    api
      .restore()
      .then(async (restored) => {
        if (!live) return;
        if (restored) await reloadMe();
        else setMe(null);
      })
      .catch(() => live && setMe(null));
    return () => {
      live = false;
      api.onSignedOut = null;
    };
  }, [api, reloadMe]);

  const signIn = useCallback(
    async (email: string, password: string, secondFactor?: string) => {
      await api.signIn(email, password, secondFactor);
      await reloadMe();
    },
    [api, reloadMe],
  );

  const signOut = useCallback(async () => {
    await api.signOut().catch(() => undefined);
    setMe(null);
  }, [api]);

  const value = useMemo(() => ({ api, me, signIn, signOut, reloadMe }), [api, me, signIn, signOut, reloadMe]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error("useAuth outside <AuthProvider>");
  return state;
}

/** The API client of the signed-in session. */
export function useApi(): Api {
  return useAuth().api;
}
