"""Leader insights: aggregate, anonymised reports on how the community helps itself."""
