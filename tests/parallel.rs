//! Data parallelism: workers that each compute some blocks of a batch's gradient, summed by
//! one of them in block order and applied by all, end with the very weights one trainer
//! alone reaches — whatever the number of workers. So a link gives the same run on 1 core or 8.

use squares_playground::network::{gradient_blocks, Gradients, GRADIENT_BLOCKS};
use squares_playground::{Experiment, Trainer};

fn experiment(query: &str) -> Experiment {
    Experiment::from_query(query).unwrap_or_else(|notes| panic!("{query}: {notes:?}"))
}

/// Trains `workers` trainers in lockstep for `steps` batches, as www/parallel.js does: the
/// leader (trainer 0) computes the first blocks in place, the others publish theirs, the
/// leader adds them in block order and publishes the sum, and every trainer applies it.
fn train_in_parallel(e: &Experiment, workers: usize, steps: usize) -> Vec<Trainer> {
    let mut trainers: Vec<Trainer> = (0..workers).map(|_| Trainer::new(e).unwrap()).collect();
    let mut slots: Vec<Option<Gradients>> = vec![None; GRADIENT_BLOCKS];
    let mut sse = [0.0; GRADIENT_BLOCKS];
    for _ in 0..steps {
        let rows: Vec<usize> = trainers.iter_mut().map(Trainer::begin_step).collect();
        assert!(rows.windows(2).all(|w| w[0] == w[1]), "every worker gathers the same batch");
        let blocks = gradient_blocks(rows[0]).count();
        let share = |w: usize| w * blocks / workers..(w + 1) * blocks / workers;
        let (leader, replicas) = trainers.split_first_mut().unwrap();
        for (w, replica) in replicas.iter_mut().enumerate() {
            replica.block_gradients(share(w + 1), |b, gradient, errors| {
                slots[b] = Some(gradient.clone());
                sse[b] = errors;
            });
        }
        let own = share(0).end;
        leader.own_blocks(own, |b, errors| sse[b] = errors);
        let total =
            leader.add_blocks(own, |b, into| into.assign(slots[b].as_ref().expect("every block computed"))).clone();
        leader.apply_gradient(&sse, |_| {});
        for replica in replicas {
            replica.apply_gradient(&sse, |into| into.assign(&total));
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
        for workers in [1, 2, 3, 8] {
            for trainer in train_in_parallel(&e, workers, steps) {
                assert_eq!(trainer.network(), alone.network(), "{query}: {workers} workers");
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
