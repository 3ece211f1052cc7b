"""Object-oriented pipeline for the late-delivery task."""
