"""Late-delivery prediction pipeline (Ana Souza)."""
