"""Administration of the gateway under `/v1/admin/...`: clients, keys, audit. Admin scope only."""
