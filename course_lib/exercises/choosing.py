"""Checks for the notebook on choosing an activation: a quiz on output layers, deep networks,
dead units, and the two-class softmax."""

import types

import numpy as np

from course_lib import activations
from course_lib.exercises import Hint, NotAttempted, call, exercise
from course_lib.grading import UsesCourseLib, by_hand

OUTPUT_PROBLEMS = {  # problem -> (the output activation, why; the notebook that showed it)
    "house price": ("linear", "a price can be any number larger than 1, which a bounded output "
                              "(sigmoid, softmax, tanh) cannot reach (notebook 01: the output "
                              "layer is affine)"),
    "spam or not": ("sigmoid", "one probability between 0 and 1 for the class 'spam' "
                               "(notebook 02)"),
    "which digit": ("softmax", "exactly one of ten classes: ten probabilities that sum to 1 "
                               "(notebook 14)"),
    "photo tags": ("sigmoid", "any number of the tags can apply at once: one independent "
                              "probability per tag, which need not sum to 1"),
}
OUTPUT_CHOICES = ("linear", "sigmoid", "softmax")


def _answers(answer, keys):
    """The learner's dict, checked for the expected keys; NotAttempted while a value is `...`."""
    if answer is Ellipsis:
        raise NotAttempted
    if not isinstance(answer, dict):
        raise Hint(f"answer with a dict with the keys {sorted(keys)}; got {type(answer).__name__}")
    if any(value is Ellipsis for value in answer.values()):
        raise NotAttempted
    missing = sorted(set(keys) - set(answer))
    if missing:
        raise Hint(f"the dict has no answer for {missing}")
    return {key: str(value).strip().lower() for key, value in answer.items()}


WRONG_OUTPUT_HINTS = {  # (problem, answer) -> a hint about that answer's own flaw
    ("house price", "relu"): "ReLU can output any positive price, but wherever the last layer's "
                             "z < 0 it outputs 0 with gradient 0: such a prediction gets no signal "
                             "to correct it (notebook 13)",
}


@exercise("choosing.1")
def check_output_layers(answer):
    """{problem: output activation} for the four problems of OUTPUT_PROBLEMS."""
    given = _answers(answer, OUTPUT_PROBLEMS)
    for problem, (expected, why) in OUTPUT_PROBLEMS.items():
        known = given[problem] in OUTPUT_CHOICES or (problem, given[problem]) in WRONG_OUTPUT_HINTS
        if not known:
            raise Hint(f"{problem!r}: answer with one of {', '.join(map(repr, OUTPUT_CHOICES))}; "
                       f"got {given[problem]!r}")
        if given[problem] != expected:
            why = WRONG_OUTPUT_HINTS.get((problem, given[problem]), why)
            raise Hint(f"{problem!r}: not {given[problem]!r}. Think about it: {why}")


DEEP_CHOICES = {
    "a": ("relu", "he_normal"),
    "b": ("sigmoid", "glorot_uniform"),
    "c": ("selu", "lecun_normal"),
    "d": ("tanh", "glorot_uniform"),
}


def _letter(answer, choices):
    if answer is Ellipsis:
        raise NotAttempted
    letter = str(answer).strip().lower()
    if letter not in choices:
        raise Hint(f"answer with one letter of {', '.join(sorted(choices))}; got {answer!r}")
    return letter


@exercise("choosing.2")
def check_worst_deep_choice(answer):
    """The worst hidden activation and initialisation for a deep plain MLP: sigmoid, Glorot."""
    letter = _letter(answer, DEEP_CHOICES)
    if letter == "b":
        return
    activation, _ = DEEP_CHOICES[letter]
    reasons = {
        "relu": "ReLU with He's initialisation is ReLU with its own gain, sqrt 2: it passes "
                "gradients of similar size to every layer (notebooks 04, 12, 15)",
        "selu": "SELU with LeCun's initialisation keeps mean 0 and variance 1 layer after layer "
                "(notebook 07)",
        "tanh": f"with Glorot's gain 1, one tanh layer multiplies the gradient's second moment by "
                f"about E[tanh'(z)^2] = {1 / activations.gain('tanh', 'backward') ** 2:.2f}: it "
                "fades, but slowly",
    }
    raise Hint(f"{reasons[activation]}. For which activation is Glorot's gain 1 furthest below its "
               "own backward gain (notebook 12's table), so that every layer shrinks the gradient "
               "most?")


DEAD_UNIT_CHANGES = {
    "a": "lower the learning rate",
    "b": "use Leaky ReLU",
    "c": "switch the hidden layers to sigmoid",
    "d": "initialise the biases at -1",
    "e": "use ELU",
}
DEAD_UNIT_HELPS = {"a", "b", "e"}


@exercise("choosing.3")
def check_dead_unit_remedies(answer):
    """The changes that help against dying ReLU units: {"a", "b", "e"}."""
    if answer is Ellipsis:
        raise NotAttempted
    if isinstance(answer, str) or not hasattr(answer, "__iter__"):
        raise Hint(f"answer with a set of letters, e.g. {{'a', 'c'}}; got {answer!r}")
    letters = {str(item).strip().lower() for item in answer}
    if Ellipsis in set(answer) or not letters:
        raise NotAttempted
    unknown = letters - set(DEAD_UNIT_CHANGES)
    if unknown:
        raise Hint(f"the letters are {', '.join(sorted(DEAD_UNIT_CHANGES))}; got {sorted(unknown)}")
    if "d" in letters:
        raise Hint("negative biases push z below 0 on every input: that kills units (notebook 13, "
                   "section 3.2)")
    if "c" in letters:
        raise Hint("sigmoid units cannot die, but they saturate, and in notebook 15's ten-layer "
                   "network the sigmoid trained more slowly than ReLU on every seed, even with its "
                   "own gain: that trades one problem for another")
    missing = DEAD_UNIT_HELPS - letters
    if missing:
        raise Hint(f"{len(missing)} more of the changes help{'s' if len(missing) == 1 else ''}. "
                   "Take the letters you left out one by one, and ask what made the units die in "
                   "notebook 13 and whether that change removes the cause")


@exercise("choosing.4")
def check_two_class_softmax(p_second):
    """p_second(z0, z1) -> softmax([z0, z1])[1], elementwise, written with `sigmoid` alone.

    The answer may call course_lib's `sigmoid` (imported by that name), and nothing else of
    course_lib: `activations.softmax(...)` gets a hint (`grading.by_hand`).
    """
    z = np.random.default_rng(12).normal(scale=4.0, size=(2, 50))
    z[:, :3] = [[0.0, 800.0, -800.0], [0.0, -800.0, 800.0]]  # equal logits, logits far apart
    expected = activations.softmax(z, axis=0)[1]
    if isinstance(p_second, types.FunctionType):
        p_second = by_hand(p_second, allowed=[activations.sigmoid])
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            result = np.asarray(call(p_second, z[0], z[1]), dtype=float)
    except UsesCourseLib:
        raise Hint("write it with `sigmoid` (imported in the exercise cell) and NumPy only, not "
                   "with another course_lib function such as the softmax") from None
    if result.shape != expected.shape:
        raise Hint(f"work elementwise: for 50 pairs of logits return 50 probabilities, not shape "
                   f"{result.shape}")
    if np.allclose(result, 1.0 - expected, rtol=1e-9, atol=1e-12):
        raise Hint("that is the probability of class 0; class 1's logit is z1")
    if not np.all(np.isfinite(result)):
        raise Hint("your formula overflows for logits 800 apart: use the stable `sigmoid` of the "
                   "exercise cell, not 1 / (1 + exp(...)) by hand")
    if not np.allclose(result, expected, rtol=1e-9, atol=1e-12):
        raise Hint("divide numerator and denominator of e^z1 / (e^z0 + e^z1) by e^z1: what is "
                   "left is a sigmoid of one number")
