//! Data parallelism: replicas that each compute some blocks of a batch's gradient and all
//! add every block in the same order end with the very weights one trainer alone reaches —
//! whatever the number of replicas. So a link gives the same run on 1 core or 8.

use squares_playground::network::{gradient_blocks, Gradients, GRADIENT_BLOCKS};
use squares_playground::{Experiment, Trainer};

fn experiment(query: &str) -> Experiment {
    Experiment::from_query(query).unwrap_or_else(|notes| panic!("{query}: {notes:?}"))
}

/// Trains `replicas` trainers in lockstep for `steps` batches, each computing its share of
/// the blocks; returns them.
fn train_in_parallel(e: &Experiment, replicas: usize, steps: usize) -> Vec<Trainer> {
    let mut trainers: Vec<Trainer> = (0..replicas).map(|_| Trainer::new(e).unwrap()).collect();
    let mut slots: Vec<Option<Gradients>> = vec![None; GRADIENT_BLOCKS];
    let mut sse = [0.0; GRADIENT_BLOCKS];
    for _ in 0..steps {
        let rows: Vec<usize> = trainers.iter_mut().map(Trainer::begin_step).collect();
        assert!(rows.windows(2).all(|w| w[0] == w[1]), "every replica gathers the same batch");
        let blocks = gradient_blocks(rows[0]).count();
        for (w, trainer) in trainers.iter_mut().enumerate() {
            let mine = w * blocks / replicas..(w + 1) * blocks / replicas;
            trainer.block_gradients(mine, |b, gradient, errors| {
                slots[b] = Some(gradient.clone());
                sse[b] = errors;
            });
        }
        for trainer in &mut trainers {
            trainer
                .finish_step(&sse[..blocks], |b, into| into.assign(slots[b].as_ref().expect("every block computed")));
        }
    }
    trainers
}

#[test]
fn any_number_of_replicas_reaches_the_weights_of_one_trainer_bit_for_bit() {
    for query in [
        "v=1&layers=16:relu,16:relu&lr=0.01&batch=100&twin=off",
        "v=1&layers=8:tanh,8:linear&opt=sgd&momentum=0.9&lr=0.01&batch=37&examples=300&twin=off",
        "v=1&task=product&layers=12:relu&batch=5&examples=60&twin=off",
    ] {
        let e = experiment(query);
        let steps = 3 * e.training_examples().div_ceil(e.batch_size); // three epochs, partial batches too
        let mut alone = Trainer::new(&e).unwrap();
        alone.step_batches(steps);
        for replicas in [1, 2, 3, 8] {
            for trainer in train_in_parallel(&e, replicas, steps) {
                assert_eq!(trainer.network(), alone.network(), "{query}: {replicas} replicas");
                let bits = |t: &Trainer| t.loss_history().iter().map(|l| l.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&trainer), bits(&alone), "{query}: the same epoch losses");
            }
        }
    }
}

#[test]
fn a_batch_is_cut_into_at_most_eight_blocks_by_its_size_alone() {
    let blocks: Vec<_> = gradient_blocks(100).collect();
    assert_eq!(blocks.len(), 8);
    assert_eq!((blocks[0].start, blocks[7].end), (0, 100));
    assert!(blocks.windows(2).all(|w| w[0].end == w[1].start && !w[0].is_empty()));
    assert_eq!(gradient_blocks(3).count(), 3, "fewer rows than blocks: a row each");
}
