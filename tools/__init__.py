"""The series' tools. The ones that share code import one another as `tools.NAME`;
run those from the repository root as modules: `python -m tools.NAME`."""
