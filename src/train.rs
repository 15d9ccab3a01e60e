//! The training loop of Keras `fit`: every epoch the examples are reshuffled and cut into
//! mini-batches of `batch_size` (the last one partial), one optimizer step per batch.
//! It is steppable — a batch or an epoch at a time — so a UI can interleave it with drawing.

use crate::data::Dataset;
use crate::experiment::Experiment;
use crate::network::{Network, Workspace};
use crate::optimizer::Optimizer;
use ndarray::{s, Array2};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Independent random streams from one seed, so that changing the network never changes
/// the data or the batch order (twin runs see the very same batches).
pub mod streams {
    pub const DATA: u64 = 0;
    pub const INIT: u64 = 1;
    pub const SHUFFLE: u64 = 2;
}

/// A seeded ChaCha8 stream: the same numbers on every platform, native and wasm.
pub fn rng_stream(seed: u32, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed as u64);
    rng.set_stream(stream);
    rng
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Running,
    Finished,
    /// The loss or a weight became NaN or infinite during this epoch (1-based).
    Diverged {
        epoch: usize,
    },
}

pub struct Trainer {
    experiment: Experiment,
    data: Dataset,
    network: Network,
    optimizer: Optimizer,
    workspace: Workspace,
    orders: EpochOrders,
    /// This epoch's order of example indices.
    order: Vec<u32>,
    /// Position in `order` of the next batch.
    cursor: usize,
    epoch: usize,
    /// Σ batch loss × batch rows so far this epoch, in f32 like the `total` of Keras' `Mean`
    /// loss tracker: the epoch loss is this over the epoch's examples.
    epoch_loss_sum: f32,
    loss_history: Vec<f32>,
    status: Status,
    x_batch: Array2<f32>,
    y_batch: Array2<f32>,
}

impl Trainer {
    /// Generates the data and initialises the network. The experiment must be valid.
    pub fn new(experiment: &Experiment) -> Trainer {
        assert_eq!(experiment.validate(), Ok(()), "Trainer::new needs a validated experiment");
        let data = Dataset::generate(experiment, &mut rng_stream(experiment.seed, streams::DATA));
        let network = Network::new(experiment, &mut rng_stream(experiment.seed, streams::INIT));
        let optimizer = Optimizer::new(experiment.optimizer, &network.parameter_sizes());
        let batch = experiment.batch_size;
        Trainer {
            workspace: Workspace::new(&network, batch),
            x_batch: Array2::zeros((batch, experiment.inputs)),
            y_batch: Array2::zeros((batch, 1)),
            orders: EpochOrders::new(experiment),
            order: (0..experiment.examples as u32).collect(),
            cursor: 0,
            epoch: 0,
            epoch_loss_sum: 0.0,
            loss_history: Vec::with_capacity(experiment.epochs),
            status: Status::Running,
            experiment: experiment.clone(),
            data,
            network,
            optimizer,
        }
    }

    pub fn experiment(&self) -> &Experiment {
        &self.experiment
    }

    pub fn data(&self) -> &Dataset {
        &self.data
    }

    pub fn network(&self) -> &Network {
        &self.network
    }

    pub fn status(&self) -> Status {
        self.status
    }

    /// Completed epochs.
    pub fn epoch(&self) -> usize {
        self.epoch
    }

    /// The current epoch's order of example indices (a permutation, redrawn every epoch).
    pub fn order(&self) -> &[u32] {
        &self.order
    }

    /// Mini-batches per epoch: ceil(examples / batch_size).
    pub fn batches_per_epoch(&self) -> usize {
        self.experiment.examples.div_ceil(self.experiment.batch_size)
    }

    /// Keras' epoch loss (mean MSE over the epoch's examples), one entry per completed epoch.
    pub fn loss_history(&self) -> &[f32] {
        &self.loss_history
    }

    /// Trains one mini-batch (the first of an epoch reshuffles).
    pub fn step_batch(&mut self) -> Status {
        if self.status != Status::Running {
            return self.status;
        }
        if self.cursor == 0 {
            self.orders.next_into(&mut self.order);
        }
        let n = self.experiment.examples;
        let end = (self.cursor + self.experiment.batch_size).min(n);
        let rows = end - self.cursor;
        for (i, &index) in self.order[self.cursor..end].iter().enumerate() {
            self.x_batch.row_mut(i).assign(&self.data.x.row(index as usize));
            self.y_batch[[i, 0]] = self.data.y[[index as usize, 0]];
        }
        let loss = self.workspace.loss_and_gradients(
            &self.network,
            self.x_batch.slice(s![..rows, ..]),
            self.y_batch.slice(s![..rows, ..]),
        );
        if !loss.is_finite() {
            self.status = Status::Diverged { epoch: self.epoch + 1 };
            return self.status;
        }
        self.optimizer.step(self.network.parameters_mut(), self.workspace.gradients.tensors());
        if !self.network.all_finite() {
            self.status = Status::Diverged { epoch: self.epoch + 1 };
            return self.status;
        }
        // Keras' tracker: total += loss · rows, count += rows, result = total / count, in f32.
        self.epoch_loss_sum += loss * rows as f32;
        self.cursor = end;
        if self.cursor == n {
            self.loss_history.push(self.epoch_loss_sum / n as f32);
            self.epoch += 1;
            self.cursor = 0;
            self.epoch_loss_sum = 0.0;
            if self.epoch == self.experiment.epochs {
                self.status = Status::Finished;
            }
        }
        self.status
    }

    /// Trains up to `count` mini-batches, stopping early when training ends.
    pub fn step_batches(&mut self, count: usize) -> Status {
        for _ in 0..count {
            if self.step_batch() != Status::Running {
                break;
            }
        }
        self.status
    }

    /// Trains to the end of the current epoch.
    pub fn step_epoch(&mut self) -> Status {
        let epoch = self.epoch;
        while self.status == Status::Running && self.epoch == epoch {
            self.step_batch();
        }
        self.status
    }

    /// Trains to the end, calling `on_epoch` after every completed epoch.
    pub fn run(&mut self, mut on_epoch: impl FnMut(&Trainer)) -> Status {
        while self.status == Status::Running {
            let before = self.epoch;
            self.step_epoch();
            if self.epoch > before {
                on_epoch(self);
            }
        }
        self.status
    }
}

/// The batch order of every epoch: one permutation of the example indices per epoch, drawn
/// from the experiment's shuffle stream. The trainer takes its orders from here, and an
/// exact replay elsewhere (Keras) can take the very same ones without training.
#[derive(Clone, Debug)]
pub struct EpochOrders {
    rng: ChaCha8Rng,
    examples: usize,
}

impl EpochOrders {
    pub fn new(experiment: &Experiment) -> EpochOrders {
        EpochOrders { rng: rng_stream(experiment.seed, streams::SHUFFLE), examples: experiment.examples }
    }

    /// Writes the next epoch's permutation into `order` (length: the number of examples),
    /// without allocating.
    pub fn next_into(&mut self, order: &mut [u32]) {
        assert_eq!(order.len(), self.examples, "one index per example");
        shuffle(order, &mut self.rng);
    }
}

impl Iterator for EpochOrders {
    type Item = Vec<u32>;

    /// The next epoch's permutation (endless: there is one for every epoch that is asked for).
    fn next(&mut self) -> Option<Vec<u32>> {
        let mut order = vec![0; self.examples];
        self.next_into(&mut order);
        Some(order)
    }
}

/// The first `experiment.epochs` batch orders, exactly those `Trainer` trains on.
pub fn epoch_orders(experiment: &Experiment) -> Vec<Vec<u32>> {
    EpochOrders::new(experiment).take(experiment.epochs).collect()
}

/// Fisher–Yates over u32 draws, so the permutation is the same on 32- and 64-bit targets.
fn shuffle<R: Rng>(order: &mut [u32], rng: &mut R) {
    for (i, index) in order.iter_mut().enumerate() {
        *index = i as u32;
    }
    for i in (1..order.len()).rev() {
        let j = rng.random_range(0..=i as u32) as usize;
        order.swap(i, j);
    }
}
