"""Domain operations shared by GraphQL, the CLI and the demo. Each runs in one transaction and
raises DomainError(s) for expected failures, so nothing is half-written."""
