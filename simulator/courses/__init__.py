"""Course administration: cohorts, rosters and what supervisors see. No Flask here."""
