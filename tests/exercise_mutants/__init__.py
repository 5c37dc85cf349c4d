"""Plausible wrong answers to each module's exercises, which every check must fail."""
