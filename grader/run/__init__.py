"""The dynamic stage: what runs in the sandbox for one submission (the submitted run, the assisted re-run,
the probes, the notebook's re-execution, the static checks' run) and the host side of the requirements layer."""
