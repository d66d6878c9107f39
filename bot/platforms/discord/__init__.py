"""Discord platform: slash commands, a help-request listener, persistent buttons and modals."""
