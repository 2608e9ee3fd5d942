"""The course's table of contents: one place for every notebook's file, title and goal.

The navigation lines of every notebook (tools/navigation.py) and the course map
in 00_start_here are generated from this table.
"""

# Four notebooks join at their final numbers; each one's author adds its row here:
# 05_relu_networks (after 04), 09_activation_family and 10_gated_activations (after 08),
# 12_signal_propagation (after 11). The numbers are the files' names; the gaps until then are
# harmless (navigation links the neighbours in this table).
NOTEBOOKS = (
    ("00_start_here.ipynb", "Start here",
     "check your set-up and find your way around the course"),
    ("01_linearity_collapse.ipynb", "Linearity collapse",
     ("prove that any stack of affine layers is one affine layer, and why depth needs a "
      "nonlinearity")),
    ("02_sigmoid.ipynb", "Sigmoid",
     "use, differentiate and criticise the logistic sigmoid"),
    ("03_tanh.ipynb", "Tanh",
     "do the same for tanh, and relate it to the sigmoid"),
    ("04_relu.ipynb", "ReLU and ReLU6",
     "do the same for ReLU and ReLU6"),
    ("05_relu_networks.ipynb", "What ReLU networks compute",
     "see a ReLU network as a continuous piecewise-linear function, count its regions, build one"),
    ("06_leaky_relu_prelu.ipynb", "Leaky ReLU and PReLU",
     "do the same for Leaky ReLU and the learnable PReLU"),
    ("07_elu_selu.ipynb", "ELU and SELU",
     "do the same for ELU and the self-normalising SELU"),
    ("08_gelu_swish_mish.ipynb", "GELU, Swish, Mish and Softplus",
     "do the same for the smooth modern family"),
    ("09_activation_family.ipynb", "The rest of the family",
     "use and check the hard, shrinkage, sparse and smooth activations Keras also ships"),
    ("10_gated_activations.ipynb", "Gated activations",
     ("build the gated feed-forward block of a modern transformer (SwiGLU, GeGLU) and compare it "
      "fairly")),
    ("11_backpropagation.ipynb", "Backpropagation",
     "backpropagate by hand through an MLP, check gradients and explain vanishing gradients"),
    ("12_signal_propagation.ipynb", "Keep the signal alive",
     "choose an initial scale from the activation, and diagnose and cure vanishing, exploding "
     "and saturating signals"),
    ("13_dead_relu.ipynb", "Dead ReLU",
     "detect, explain and prevent dead ReLU units"),
    ("14_softmax_stability.ipynb", "Softmax without overflow",
     "compute softmax, log-softmax and cross-entropy without overflow or underflow"),
    ("15_comparing_activations.ipynb", "Comparing activations",
     "run a fair Keras comparison of every activation and read the results"),
    ("16_choosing_an_activation.ipynb", "Choosing an activation",
     "choose hidden and output activations for a new problem, with reasons"),
)


def course_map_markdown():
    """Return the course map as a Markdown table with a link to every notebook."""
    lines = ["| # | Notebook | You leave able to ... |", "|---|---|---|"]
    for file, title, goal in NOTEBOOKS:
        lines.append(f"| {file[:2]} | [{title}]({file}) | {goal} |")
    return "\n".join(lines)


def navigation_markdown(file):
    """Return the line "previous | contents | next" for the notebook called `file`."""
    files = [entry[0] for entry in NOTEBOOKS]
    if file not in files:
        raise ValueError(f"{file!r} is not in the course contents")
    i = files.index(file)
    parts = []
    if i > 0:
        prev_file, prev_title, _ = NOTEBOOKS[i - 1]
        parts.append(f"[&larr; {prev_file[:2]} {prev_title}]({prev_file})")
    if i > 0:
        parts.append("[Contents](00_start_here.ipynb)")
    if i + 1 < len(NOTEBOOKS):
        next_file, next_title, _ = NOTEBOOKS[i + 1]
        parts.append(f"[{next_file[:2]} {next_title} &rarr;]({next_file})")
    return " | ".join(parts)
