"""The mutual-aid program on the API, thin over ``..services``. ``plans``: plans, enrolments,
refunds and the report query with their mutations; ``claims``: claims and condolences, their
mutations and health data shown by role; ``reports``: the plan year's report types (and its
export). ``plugin.py`` merges the query and mutation pieces in ``register_graphql``."""
