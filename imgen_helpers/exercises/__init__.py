"""Checks for the lessons' exercises, one module per lesson.

A lesson imports its own checks, ``from imgen_helpers.exercises import lesson05 as ex``, and an
exercise is a function the learner completes (in the teacher's edition, a solution sits between
nbgrader's ``### BEGIN SOLUTION`` / ``### END SOLUTION`` markers; the student edition has
``raise NotImplementedError()`` there). A check calls the learner's function on inputs it
chooses, prints one line ("correct!", "not answered yet: ..." or "not quite: <what is wrong>")
and returns True only for a right answer. It never raises for a learner's mistake: whatever a
learner writes gets a message. The tests (``tests/test_exercises*.py``) feed every check its
solution and the wrong answers learners really write, and require each to be rejected with a
reason.

``grading`` holds what all checks share: calling the learner's function, reading its result as
numbers, and printing the verdict.
"""
