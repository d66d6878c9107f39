"""Anonymous questions: pseudonyms, escrowed identities, the private reply relay and log redaction."""
