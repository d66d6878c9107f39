"""Trust it: student-privacy guardrails, per-feature user-data hooks (export/forget) and retention."""
