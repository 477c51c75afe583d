"""``advpy audit``: evidence that a graded set's hidden tests tell right from wrong. Mutants of
each reference answer are graded as a class by ``advpy grade``, twice; every mutant that keeps
full marks must be declared equivalent in the set's audit file, and no score may change between
the two runs."""
