"""Assessment packs for real rounds of the technical test, and the data generators they need."""
