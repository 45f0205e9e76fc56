"""Tables of the monthly demand review (submissions, attendance, agenda, approved plan)."""
