//! Everything the sandbox holds in memory, apart from HTTP: the Azure world seeded from the
//! fixture, sign-in grants, scripted faults and the request log.

use crate::cli::Options;
use crate::directory::Directory;
use crate::entra::grants::Grants;
use crate::faults::Faults;
use crate::fixture::Fixture;
use crate::http::log::LoggedRequest;
use crate::operations::Operation;
use crate::ready::Origins;
use crate::resources::Resources;
use crate::timing::Timing;
use serde::{Deserialize, Serialize};
use crate::data_plane::DataPlane;
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::Instant;

/// The emulated service a request was addressed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Service {
    Login,
    Arm,
    Graph,
}

/// The directory and the resources, with the operations running on them.
pub struct World {
    pub directory: Directory,
    pub resources: Resources,
    pub operations: Vec<Operation>,
}

impl World {
    fn from_fixture(fixture: &Fixture) -> World {
        World {
            directory: Directory {
                tenant: fixture.tenant.clone(),
                spa: fixture.spa.clone(),
                users: fixture.users.clone(),
                service_principals: fixture.service_principals.clone(),
                groups: fixture.groups.clone(),
            },
            resources: Resources::new(
                fixture.subscriptions.clone(),
                &fixture.role_assignments,
                fixture.caches.iter().cloned().map(crate::resources::Cache::seeded).collect(),
            ),
            operations: Vec::new(),
        }
    }

    /// Brings every running operation up to the present.
    fn advance(&mut self) {
        let now = Instant::now();
        for operation in self.operations.iter_mut() {
            operation.advance(now, &mut self.resources.caches[operation.cache]);
        }
    }
}

pub struct Shared {
    pub options: Options,
    pub timing: Timing,
    pub origins: Origins,
    fixture: Fixture,
    world: Mutex<World>,
    pub grants: Mutex<Grants>,
    pub faults: Mutex<Faults>,
    pub log: Mutex<Vec<LoggedRequest>>,
    /// The caches' real Redis servers, with `--data-plane`.
    pub data_plane: OnceLock<DataPlane>,
}

impl Shared {
    pub fn new(options: Options, fixture: Fixture, origins: Origins) -> Shared {
        Shared {
            timing: Timing::of(options.timing),
            options,
            origins,
            world: Mutex::new(World::from_fixture(&fixture)),
            fixture,
            grants: Mutex::new(Grants::default()),
            faults: Mutex::new(Faults::default()),
            log: Mutex::new(Vec::new()),
            data_plane: OnceLock::new(),
        }
    }

    /// The world, with operations advanced to now.
    pub fn world(&self) -> MutexGuard<'_, World> {
        let mut world = self.world.lock().expect("world lock");
        world.advance();
        world
    }

    pub fn grants(&self) -> MutexGuard<'_, Grants> {
        self.grants.lock().expect("grants lock")
    }

    /// Puts the resources back as the fixture describes them and forgets faults and the log.
    /// Sign-in grants survive, so a signed-in browser stays signed in.
    pub fn reset(&self) {
        let mut world = self.world.lock().expect("world lock");
        *world = World::from_fixture(&self.fixture);
        if let Some(data_plane) = self.data_plane.get() {
            crate::data_plane::control_plane::point_at_servers(&mut world.resources, data_plane);
        }
        drop(world);
        *self.faults.lock().expect("faults lock") = Faults::default();
        self.log.lock().expect("log lock").clear();
    }
}
