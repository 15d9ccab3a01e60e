//! The experiments of the question and its answer, as share links.

use crate::experiment::Experiment;

pub struct Preset {
    pub name: &'static str,
    pub caption: &'static str,
    pub query: &'static str,
}

pub const PRESETS: &[Preset] = &[
    Preset {
        name: "question-sum",
        caption: "A sum works without any activation: it is linear, so one straight line is exact (RMSE ≈ 0).",
        query: "v=1&task=sum&inputs=2&examples=1000&largest=1000&norm=question\
                &layers=20:linear,100:linear,1000:linear,100:linear,20:linear\
                &opt=adam&lr=0.001&batch=100&epochs=500&seed=1&twin=off",
    },
    Preset {
        name: "question-square",
        caption: "The question as asked: six Dense layers, no activations — one straight line, never below the \
                  best straight line through this sample.",
        query: "v=1&task=square&examples=1000&largest=1000&norm=question\
                &layers=20:linear,100:linear,1000:linear,100:linear,20:linear\
                &opt=adam&lr=0.001&batch=100&epochs=500&seed=3&twin=off",
    },
    Preset {
        name: "answer-fix",
        caption: "The answer's fix: relu on every hidden layer (inputs still squeezed into (0, 0.001]).",
        query: "v=1&task=square&examples=1000&largest=1000&norm=question\
                &layers=20:relu,100:relu,1000:relu,100:relu,20:relu\
                &opt=adam&lr=0.001&batch=100&epochs=500&seed=3&twin=off",
    },
    Preset {
        name: "small-relu",
        caption: "A small relu network with x scaled to (0, 1]: fits x² closely in seconds.",
        query: "v=1&task=square&examples=1000&largest=1000&norm=largest&layers=64:relu,64:relu\
                &opt=adam&lr=0.001&batch=100&epochs=300&seed=1&twin=off",
    },
    Preset {
        name: "squeezed-inputs",
        caption: "small-relu with the question's scaling, x squeezed into (0, 0.001]: the same network, learning \
                  rate and epochs sit on a plateau for over a hundred epochs and end far above small-relu.",
        query: "v=1&task=square&examples=1000&largest=1000&norm=question&layers=64:relu,64:relu\
                &opt=adam&lr=0.001&batch=100&epochs=300&seed=1&twin=off",
    },
    Preset {
        name: "kinks-outside",
        caption: "Relu, and still a straight line: with squeezed inputs every kink sits near x = 0, outside the data.",
        query: "v=1&task=square&examples=1000&largest=1000&norm=question&layers=64:relu,64:relu\
                &opt=adam&lr=0.001&batch=100&epochs=20&seed=1&twin=off",
    },
    Preset {
        name: "dead-relus",
        caption: "Learning rate 0.1: most relu units die (off for every input), leaving a curve of few pieces.",
        query: "v=1&task=square&examples=1000&largest=1000&norm=largest&layers=16:relu,16:relu\
                &opt=adam&lr=0.1&batch=100&epochs=50&seed=1&twin=off",
    },
    Preset {
        name: "lr-too-small",
        caption: "Learning rate 0.00001: after 100 epochs the network has hardly moved from its random start.",
        query: "v=1&task=square&examples=1000&largest=1000&norm=largest&layers=64:relu,64:relu\
                &opt=adam&lr=0.00001&batch=100&epochs=100&seed=1&twin=off",
    },
    Preset {
        name: "twins",
        caption: "The same network twice, same data and batches: relu bends through the floor, linear stops on it.",
        query: "v=1&task=square&examples=1000&largest=1000&norm=largest&layers=64:relu,64:relu\
                &opt=adam&lr=0.001&batch=100&epochs=300&seed=1&twin=64:linear,64:linear",
    },
    Preset {
        name: "cube",
        caption: "y = x³ curves harder than x²: its best straight line misses by 11.6% of the largest value \
                  (x² on the same data: 7.6%); relu bends through that floor, the linear twin stays on it.",
        query: "v=1&task=f&f=x%5E3&examples=1000&largest=1000&norm=largest&layers=64:relu,64:relu\
                &opt=adam&lr=0.001&batch=100&epochs=300&seed=1&twin=64:linear,64:linear",
    },
    Preset {
        name: "one-kink",
        caption: "|x − 500| has one kink, so two relu units — relu(x − 500) + relu(500 − x) — are exact; \
                  standardised inputs start both kinks near 500, and with this seed training reaches RMSE 0.",
        query: "v=1&task=f&f=abs(x-500)&examples=1000&largest=1000&norm=standard&layers=2:relu\
                &opt=adam&lr=0.05&batch=100&epochs=200&seed=6&twin=2:linear",
    },
    Preset {
        name: "sine-beyond",
        caption: "sin(x/100)·1000: relu follows the wave over the data (RMSE ≈ 2), then carries on as a straight \
                  line past x = 1000 — beyond the data it does worse than predicting 0.",
        query: "v=1&task=f&f=sin(x/100)*1000&examples=1000&largest=1000&norm=standard&layers=64:relu,64:relu\
                &opt=adam&lr=0.001&batch=100&epochs=300&seed=2&twin=off&extent=2",
    },
    Preset {
        name: "saddle",
        caption: "The title's multiplication, y = x₁·x₂, is a saddle: the best plane misses it by about 85,000, \
                  the linear twin stops on that plane, relu bends through it.",
        query: "v=1&task=f&f=x1*x2&examples=1000&largest=1000&norm=largest&layers=64:relu,64:relu\
                &opt=adam&lr=0.001&batch=100&epochs=300&seed=1&twin=64:linear,64:linear",
    },
    // Sweeps. The counts in the captions were measured natively (`squares --preset NAME`);
    // a browser's float kernels may round differently, so a seed or two can land otherwise.
    Preset {
        name: "question-sweep",
        caption: "The question as asked, over seeds 1 to 20 (100 epochs, not 500, to keep it short in a browser): \
                  every seed ends as a straight line, 1.01× to 1.74× the best straight line, never below it \
                  (after 500 epochs: 1.00× to 1.77×).",
        query: "v=1&task=square&examples=1000&largest=1000&norm=question\
                &layers=20:linear,100:linear,1000:linear,100:linear,20:linear\
                &opt=adam&lr=0.001&batch=100&epochs=100&seed=1&seeds=20&twin=off",
    },
    Preset {
        name: "answer-fix-sweep",
        caption: "The answer's fix over seeds 1 to 20 (200 epochs, not 500, to keep it short in a browser): 16 \
                  bend below the best straight line, 3 collapse to a constant — every unit of a relu layer \
                  died — and 1 stays above it. Relus keep dying: after 500 epochs, 8 of the 20 are constant.",
        query: "v=1&task=square&examples=1000&largest=1000&norm=question\
                &layers=20:relu,100:relu,1000:relu,100:relu,20:relu\
                &opt=adam&lr=0.001&batch=100&epochs=200&seed=1&seeds=20&twin=off",
    },
    Preset {
        name: "small-relu-sweep",
        caption: "small-relu (x ÷ largest) over seeds 1 to 20: every seed bends, ending 0.005× to 0.02× the best \
                  straight line.",
        query: "v=1&task=square&examples=1000&largest=1000&norm=largest&layers=64:relu,64:relu\
                &opt=adam&lr=0.001&batch=100&epochs=300&seed=1&seeds=20&twin=off",
    },
];

pub fn preset(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

impl Preset {
    /// The preset's experiment. Presets are tested to parse without a single note.
    pub fn experiment(&self) -> Experiment {
        Experiment::from_query(self.query).unwrap_or_else(|notes| panic!("preset {} is invalid: {notes:?}", self.name))
    }
}
