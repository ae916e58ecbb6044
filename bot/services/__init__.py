"""Use cases over a Session. Keyword-only; they flush, the caller owns the transaction."""
