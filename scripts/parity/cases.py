"""The runs the parity script replays in Keras: every preset (a preset with a twin is two
runs), and a few more configs so that each optimizer, activation, normalisation and task is
covered. Cases marked golden are small enough for `cargo test` (tests/golden.rs) to train
in a second or two; their Keras results are committed under tests/golden/.
"""
import subprocess
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode


@dataclass
class Case:
    name: str
    query: str
    golden: bool = False


# Small and fast, one idea each. Seeds are arbitrary but fixed.
EXTRA = [
    Case('relu-adam', 'v=1&task=square&examples=500&largest=1000&norm=largest&layers=16:relu,16:relu'
         '&opt=adam&lr=0.01&batch=50&epochs=40&seed=7&twin=off', golden=True),
    Case('linear-adam-question', 'v=1&task=square&examples=300&largest=1000&norm=question&layers=8:linear,8:linear'
         '&opt=adam&lr=0.01&batch=30&epochs=30&seed=2&twin=off', golden=True),
    Case('sgd-momentum-sum', 'v=1&task=sum&inputs=2&examples=400&largest=1000&norm=standard&layers=8:relu'
         '&opt=sgd&lr=0.01&momentum=0.9&batch=32&epochs=30&seed=3&twin=off', golden=True),
    Case('sgd-linear-largest', 'v=1&task=square&examples=400&largest=1000&norm=largest&layers=8:linear,8:linear'
         '&opt=sgd&lr=0.05&batch=40&epochs=30&seed=4&twin=off', golden=True),
    Case('product-standard', 'v=1&task=product&examples=500&largest=100&norm=standard&layers=16:relu,16:relu'
         '&opt=adam&lr=0.003&batch=50&epochs=40&seed=5&twin=off', golden=True),
    Case('sum-question-relu', 'v=1&task=sum&inputs=3&examples=300&largest=1000&norm=question&layers=16:relu'
         '&opt=adam&lr=0.01&batch=20&epochs=30&seed=8&twin=off', golden=True),
    Case('every-activation', 'v=1&task=square&examples=300&largest=1000&norm=largest'
         '&layers=8:leaky_relu,8:elu,8:tanh,8:sigmoid,8:softplus,8:swish&opt=adam&lr=0.01&batch=30&epochs=30'
         '&seed=6&twin=off', golden=True),
]

# The question's own networks (205,281 parameters) cut to their first epochs: still a
# second or two in `cargo test`, and the very first steps of the presets.
SHORT_PRESETS = {'question-sum': 20, 'question-square': 20}


def with_fields(query, **fields):
    """The query with some fields replaced (or added), order kept."""
    pairs = dict(parse_qsl(query, keep_blank_values=True))
    pairs.update({k: str(v) for k, v in fields.items()})
    return urlencode(pairs, safe=':,')


def presets(squares):
    """(name, query) of every preset, as `squares --list` prints them: a name and caption
    line, then the query indented on the next."""
    lines = subprocess.run([squares, '--list'], check=True, capture_output=True, text=True).stdout.splitlines()
    return [(lines[i].split()[0], lines[i + 1].strip()) for i in range(0, len(lines) - 1, 2)]


def all_cases(squares):
    """Every case once: a preset that is the very run of an earlier one (the twins preset's
    main network is small-relu) joins that case's name instead of running twice."""
    cases = []
    for name, query in presets(squares):
        twin = dict(parse_qsl(query)).get('twin', 'off')
        cases.append(Case(name, with_fields(query, twin='off')))
        if twin != 'off':
            cases.append(Case(f'{name} (twin)', with_fields(query, layers=twin, twin='off')))
    for name, epochs in SHORT_PRESETS.items():
        query = dict(presets(squares))[name]
        cases.append(Case(f'{name}-{epochs}-epochs', with_fields(query, epochs=epochs), golden=True))
    unique = {}
    for case in cases + EXTRA:
        if case.query in unique:
            unique[case.query].name += f' = {case.name}'
        else:
            unique[case.query] = case
    return list(unique.values())
