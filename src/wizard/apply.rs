//! Applying the plan: one write at a time, each followed to its end with live progress. A stop
//! (error, expired sign-in, closed tab) is resumed by re-reading the cache and planning again,
//! which sends only what remains.
use super::context::{Wizard, read_current, use_wizard};
use super::error_view::ErrorBox;
use super::review::WriteItem;
use super::step::Step;
use crate::api::{ApiError, operation};
use keyless_core::eligibility::{self, Reason, Verdict};
use keyless_core::lro::{Progress, Timing};
use keyless_core::plan::{self, PlanError, Write};
use leptos::prelude::*;

/// Why a run stopped before the end.
#[derive(Clone, Debug, PartialEq)]
enum Stop {
    Api(ApiError),
    Plan(PlanError),
    /// The cache cannot switch (a link can lead here without passing the check).
    Ineligible(Vec<Reason>),
    /// The cache changed since the review: these writes were not in the plan the admin saw.
    Unseen(Vec<Write>),
}

impl From<ApiError> for Stop {
    fn from(error: ApiError) -> Self {
        Stop::Api(error)
    }
}

/// One run's live state, for the page to show.
#[derive(Clone, Copy)]
struct Run {
    /// The writes this run planned, in order.
    writes: RwSignal<Vec<Write>>,
    /// How many of them have completed.
    completed: RwSignal<usize>,
    progress: RwSignal<Option<Progress>>,
    /// The progress is the cache finishing an earlier operation, not the current write.
    settling: RwSignal<bool>,
    running: RwSignal<bool>,
    stopped: RwSignal<Option<Stop>>,
}

impl Run {
    fn new() -> Self {
        Self {
            writes: RwSignal::new(Vec::new()),
            completed: RwSignal::new(0),
            progress: RwSignal::new(None),
            settling: RwSignal::new(false),
            running: RwSignal::new(false),
            stopped: RwSignal::new(None),
        }
    }

    /// Re-reads the cache, plans, and sends every write of the plan in order. Returns whether
    /// the run reached the end.
    async fn go(self, wizard: Wizard) -> bool {
        self.running.set(true);
        self.stopped.set(None);
        let outcome = self.apply(wizard).await;
        self.running.set(false);
        self.progress.set(None);
        wizard.current.refetch();
        match outcome {
            Ok(()) => {
                wizard.saved.update(|s| s.started = false);
                true
            }
            // The page is leaving for the sign-in page; on return, the admin resumes.
            Err(Stop::Api(ApiError::Redirecting)) => false,
            Err(stop) => {
                self.stopped.set(Some(stop));
                false
            }
        }
    }

    async fn apply(self, wizard: Wizard) -> Result<(), Stop> {
        let arm = wizard.arm.get_value();
        let id = wizard.id.get_value();
        self.writes.set(Vec::new());
        self.completed.set(0);
        // A run resumed while an earlier write is still under way (a reload mid-operation) plans
        // from where that write ends: the cache shows the old `aad-enabled` until then, and
        // planning from it would send the toggle again.
        self.settling.set(true);
        operation::settle(&arm, &id, Timing::ENABLE_ENTRA, self.progress.write_only()).await?;
        self.settling.set(false);
        let current = read_current(arm.clone(), id.clone()).await?;
        if let Verdict::Blocked(reasons) = eligibility::assess(&current.cache, false).verdict {
            return Err(Stop::Ineligible(reasons));
        }
        let plan = wizard
            .saved
            .with_untracked(|s| plan::compute(&current, &s.desired))
            .map_err(Stop::Plan)?;
        let unseen = wizard.saved.with_untracked(|s| plan.unseen(&s.reviewed));
        if !unseen.is_empty() {
            return Err(Stop::Unseen(unseen));
        }
        wizard.saved.update(|s| s.note_in_place(&plan));
        self.writes.set(plan.writes.clone());
        for write in plan.writes {
            self.settling.set(true);
            operation::settle(&arm, &id, write.timing(), self.progress.write_only()).await?;
            self.settling.set(false);
            let accepted = arm.send(&write).await?;
            operation::follow(
                &arm,
                &accepted,
                &id,
                write.timing(),
                self.progress.write_only(),
            )
            .await?;
            self.progress.set(None);
            self.completed.update(|n| *n += 1);
            wizard
                .saved
                .update(|s| s.applied.push(write.summary.clone()));
        }
        Ok(())
    }
}

/// Step 4b: the run, its progress, and Resume after a stop.
#[component]
pub fn ApplyStep() -> impl IntoView {
    let wizard = use_wizard();
    let run = Run::new();
    let done = wizard.go(Step::Done);
    let start = Action::new_local(move |_: &()| {
        let done = done.clone();
        async move {
            if run.go(wizard).await {
                done();
            }
        }
    });
    // Arriving from "Apply" starts at once; arriving any other way (reload, link, return from
    // sign-in) waits for "Resume", so nothing is sent without the admin asking.
    if wizard.apply_requested.get_untracked() {
        wizard.apply_requested.set(false);
        start.dispatch(());
    }
    let started = move || wizard.saved.with(|s| s.started);
    let idle = move || {
        !run.running.get() && run.writes.with(Vec::is_empty) && run.stopped.with(Option::is_none)
    };
    view! {
        <h2>"Applying the plan"</h2>
        <Show when=idle>
            <p class="note" data-testid="resume-note">
                {move || if started() {
                    "A run for this cache did not finish here. Resuming re-reads the cache and sends only what remains."
                } else {
                    "Nothing has been sent yet. Applying re-reads the cache and sends the plan from the review."
                }}
            </p>
        </Show>
        <ol class="plan">
            {move || {
                let completed = run.completed.get();
                let running = run.running.get();
                run.writes
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(i, write)| {
                        let state = match i.cmp(&completed) {
                            std::cmp::Ordering::Less => "done",
                            std::cmp::Ordering::Equal if running => "running",
                            _ => "pending",
                        };
                        view! { <WriteItem write state/> }
                    })
                    .collect_view()
            }}
        </ol>
        {move || {
            run.progress.get().map(|p| {
                let state = p.state.as_ref().map(|s| s.to_string()).unwrap_or_default();
                let what = if run.settling.get() {
                    "Waiting for the cache to finish an earlier operation: "
                } else {
                    ""
                };
                view! {
                    <p class="progress" role="status" data-testid="progress" data-state=state>
                        {format!("{what}{p}")}
                    </p>
                }
            })
        }}
        {move || run.running.get().then(|| view! { <p class="loading" data-testid="running">"Working… keep this tab open."</p> })}
        {move || {
            run.stopped.get().map(|stop| {
                let remaining = run.writes.with(Vec::len).saturating_sub(run.completed.get());
                view! {
                    <div class="stopped" data-testid="stopped">
                        {match stop {
                            Stop::Api(error) => view! { <ErrorBox error/> }.into_any(),
                            Stop::Plan(error) => view! {
                                <p class="error" role="alert" data-testid="error">{error.to_string()}</p>
                            }
                            .into_any(),
                            Stop::Ineligible(reasons) => view! {
                                <ul class="error" role="alert" data-testid="error">
                                    {reasons.into_iter().map(|r| view! { <li>{r.to_string()}</li> }).collect_view()}
                                </ul>
                            }
                            .into_any(),
                            Stop::Unseen(writes) => view! {
                                <div class="error" role="alert" data-testid="unseen">
                                    <p>
                                        "The cache changed since you reviewed the plan: it now needs writes you have not seen. Nothing was sent. "
                                        <a href=wizard.path(Step::Review)>"Review the plan again."</a>
                                    </p>
                                    <ol class="plan">
                                        {writes.into_iter().map(|write| view! { <WriteItem write/> }).collect_view()}
                                    </ol>
                                </div>
                            }
                            .into_any(),
                        }}
                        {(remaining > 0).then(|| view! {
                            <p data-testid="remaining">
                                {format!("Stopped with {remaining} write(s) not done. Resuming re-reads the cache first.")}
                            </p>
                        })}
                    </div>
                }
            })
        }}
        <Show when=move || !run.running.get()>
            <div class="actions">
                <button data-testid="resume" on:click=move |_| { start.dispatch(()); }>
                    {move || if started() { "Resume" } else { "Apply" }}
                </button>
            </div>
        </Show>
    }
}
