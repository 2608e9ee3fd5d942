"""nbgrader's configuration for this course: `make student` and the instructors' workflow use it.

Run nbgrader from the repository's root (this file is read from the working directory). The
course directory is build/nbgrader: one assignment per notebook, named after it
(source/14_softmax_stability/14_softmax_stability.ipynb), written there by tools/student.py.
INSTRUCTORS.md walks through the workflow.
"""

import os

from nbgrader import utils
from nbgrader.preprocessors import (CheckCellMetadata, ClearHiddenTests, ClearMarkScheme,
                                    ClearSolutions, ComputeChecksums, IncludeHeaderFooter,
                                    InstantiateTests, LockCells, NbGraderPreprocessor, SaveCells)

c = get_config()  # noqa: F821 (traitlets defines it when it reads this file)

# build/nbgrader beside this file (traitlets sets __file__ when it reads a configuration file)
HERE = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.root = os.path.join(HERE, "build", "nbgrader")
c.CourseDirectory.course_id = "activation-functions"


class ClearAnswerOutputs(NbGraderPreprocessor):
    """Clear the outputs of solution and autograder cells only; every figure and table stays.

    nbgrader's own ClearOutput would empty every cell, leaving a student version without the
    course's figures; a solution's printout, though, would give its answer away.
    """

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and (utils.is_solution(cell) or utils.is_grade(cell)):
            cell.outputs = []
            cell.execution_count = None
        return cell, resources


# nbgrader's list (0.9) with ClearOutput replaced by ClearAnswerOutputs.
c.GenerateAssignment.preprocessors = [
    IncludeHeaderFooter, InstantiateTests, LockCells, ClearSolutions, ClearAnswerOutputs,
    CheckCellMetadata, ComputeChecksums, SaveCells, ClearHiddenTests, ClearMarkScheme,
    ComputeChecksums, CheckCellMetadata,
]

# The solution cell of the student version: a comment, so the notebook runs top to bottom (the
# default stub raises NotImplementedError). The learner's stub and check() sit in the cell above.
c.ClearSolutions.code_stub = {
    "python": "# The worked solution was here; it is not part of the student version.\n"
              "# Write your answer in the cell above and run it: its check() gives feedback.",
}

# A notebook cell may take a while (training runs), on a busy grading machine longer still.
c.Execute.timeout = 600
