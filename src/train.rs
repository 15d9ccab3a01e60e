//! The training loop of Keras `fit`: every epoch the examples are reshuffled and cut into
//! mini-batches of `batch_size` (the last one partial), one optimizer step per batch.
//! It is steppable — a batch or an epoch at a time — so a UI can interleave it with drawing.

use crate::data::Dataset;
use crate::experiment::{ConfigError, Experiment};
use crate::network::{Inference, Network, Workspace};
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
    /// The targets' noise (only drawn when the experiment asks for noise).
    pub const NOISE: u64 = 3;
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
    /// Keras' val_loss: the MSE over the test set after each epoch (empty without one).
    test_loss_history: Vec<f32>,
    /// Buffers for the test set's forward pass (allocated once).
    test_pass: Inference,
    status: Status,
    x_batch: Array2<f32>,
    y_batch: Array2<f32>,
    /// Rows of the batch `begin_step` gathered.
    batch_rows: usize,
}

/// Rows of the test set pushed through the network at a time after each epoch.
const TEST_CHUNK_ROWS: usize = 128;

impl Trainer {
    /// Generates the data and initialises the network; an experiment that `validate`
    /// rejects is returned as that error, never trained.
    pub fn new(experiment: &Experiment) -> Result<Trainer, ConfigError> {
        experiment.validate()?;
        let data = Dataset::generate(experiment, &mut rng_stream(experiment.seed, streams::DATA));
        let network = Network::new(experiment, &mut rng_stream(experiment.seed, streams::INIT));
        let optimizer = Optimizer::new(experiment.optimizer, &network.parameter_sizes());
        let batch = experiment.batch_size;
        let test_rows = data.test_rows();
        Ok(Trainer {
            workspace: Workspace::new(&network, batch),
            test_pass: Inference::new(&network, test_rows.min(TEST_CHUNK_ROWS)),
            test_loss_history: Vec::with_capacity(if test_rows > 0 { experiment.epochs } else { 0 }),
            x_batch: Array2::zeros((batch, experiment.inputs)),
            y_batch: Array2::zeros((batch, 1)),
            orders: EpochOrders::new(experiment),
            order: (0..data.train_rows as u32).collect(),
            cursor: 0,
            epoch: 0,
            epoch_loss_sum: 0.0,
            loss_history: Vec::with_capacity(experiment.epochs),
            status: Status::Running,
            experiment: experiment.clone(),
            data,
            batch_rows: 0,
            network,
            optimizer,
        })
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

    /// Mini-batches trained in the current (unfinished) epoch.
    pub fn batch_in_epoch(&self) -> usize {
        self.cursor.div_ceil(self.experiment.batch_size)
    }

    /// Mini-batches trained since the start: every one changes the weights.
    pub fn steps(&self) -> u64 {
        self.optimizer.iterations() as u64
    }

    /// The current epoch's order of example indices (a permutation, redrawn every epoch).
    pub fn order(&self) -> &[u32] {
        &self.order
    }

    /// Mini-batches per epoch: ceil(training examples / batch_size).
    pub fn batches_per_epoch(&self) -> usize {
        self.data.train_rows.div_ceil(self.experiment.batch_size)
    }

    /// Keras' epoch loss (mean MSE over the epoch's examples), one entry per completed epoch.
    pub fn loss_history(&self) -> &[f32] {
        &self.loss_history
    }

    /// Keras' val_loss: the MSE over the test set after each completed epoch (empty without
    /// a test set).
    pub fn test_loss_history(&self) -> &[f32] {
        &self.test_loss_history
    }

    /// Trains one mini-batch (the first of an epoch reshuffles).
    pub fn step_batch(&mut self) -> Status {
        let rows = self.begin_step();
        if rows == 0 {
            return self.status;
        }
        let loss = self.workspace.loss_and_gradients(
            &self.network,
            self.x_batch.slice(s![..rows, ..]),
            self.y_batch.slice(s![..rows, ..]),
        );
        self.apply_step(loss)
    }

    /// Gathers the next mini-batch (reshuffling at an epoch's start) and returns its rows;
    /// 0 once training has stopped.
    fn begin_step(&mut self) -> usize {
        if self.status != Status::Running {
            return 0;
        }
        if self.cursor == 0 {
            self.orders.next_into(&mut self.order);
        }
        let end = (self.cursor + self.experiment.batch_size).min(self.data.train_rows);
        for (i, &index) in self.order[self.cursor..end].iter().enumerate() {
            self.x_batch.row_mut(i).assign(&self.data.x.row(index as usize));
            self.y_batch[[i, 0]] = self.data.y[[index as usize, 0]];
        }
        self.batch_rows = end - self.cursor;
        self.batch_rows
    }

    /// The end of a step: the optimizer's update from the workspace's gradients, the
    /// divergence checks, the epoch's bookkeeping (and the test set's loss at its end).
    fn apply_step(&mut self, loss: f32) -> Status {
        let rows = self.batch_rows;
        if !loss.is_finite() {
            self.status = Status::Diverged { epoch: self.epoch + 1 };
            return self.status;
        }
        if !self.optimizer.step(self.network.parameters_mut(), self.workspace.gradients.tensors()) {
            self.status = Status::Diverged { epoch: self.epoch + 1 };
            return self.status;
        }
        let n = self.data.train_rows;
        // Keras' tracker: total += loss · rows, count += rows, result = total / count, in f32.
        self.epoch_loss_sum += loss * rows as f32;
        self.cursor += rows;
        if self.cursor == n {
            self.loss_history.push(self.epoch_loss_sum / n as f32);
            if self.data.test_rows() > 0 {
                let test_loss = self.test_loss();
                self.test_loss_history.push(test_loss);
            }
            self.epoch += 1;
            self.cursor = 0;
            self.epoch_loss_sum = 0.0;
            if self.epoch == self.experiment.epochs {
                self.status = Status::Finished;
            }
        }
        self.status
    }

    /// The MSE over the test set (the rows after `train_rows`), as Keras' val_loss.
    fn test_loss(&mut self) -> f32 {
        let (data, network, buffers) = (&self.data, &self.network, &mut self.test_pass);
        let mut sum = 0.0f64;
        for start in (data.train_rows..data.len()).step_by(buffers.rows()) {
            let end = (start + buffers.rows()).min(data.len());
            let out = network.infer(data.x.slice(s![start..end, ..]), buffers, |_, _| {});
            sum += out
                .column(0)
                .iter()
                .zip(data.y.slice(s![start..end, 0]))
                .map(|(&p, &t)| ((p - t) as f64).powi(2))
                .sum::<f64>();
        }
        (sum / data.test_rows().max(1) as f64) as f32
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
        EpochOrders { rng: rng_stream(experiment.seed, streams::SHUFFLE), examples: experiment.training_examples() }
    }

    /// Writes the next epoch's permutation into `order` (length: the number of training
    /// examples; a test set is never shuffled in),
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
