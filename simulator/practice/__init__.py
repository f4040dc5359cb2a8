"""Playing a scenario: attempts, turns, rewinds and what they add up to.

Data functions take a database session and plain values, never a request; the trainee
blueprint is a thin shell around them.
"""
