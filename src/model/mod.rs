//! Models: reading a model file, validating it, and the compiled form the engine runs.
//! `Model::from_source` is the one way in; every problem of the file comes back at once.

mod aggregate;
pub mod governance;
pub mod limits;
mod normalise;
pub(crate) mod read;
pub(crate) mod read_derive;
pub(crate) mod read_uncertainty;
pub mod spec;
mod validate;

pub use aggregate::aggregate;
pub use normalise::{normalise, transform};
pub use spec::*;

use std::collections::HashMap;

use crate::diag::{Diagnostic, SourceFile, has_errors};
use crate::error::Error;

/// Descriptive header of a model: who owns it, which version, on what scale.
#[derive(Debug, Clone)]
pub struct ModelMeta {
    /// Stable id.
    pub id: String,
    /// Human name.
    pub name: String,
    /// Semantic version.
    pub version: semver::Version,
    /// Date from which this version is in force.
    pub effective: jiff::civil::Date,
    /// Who answers for it.
    pub owner: String,
    /// What it is for.
    pub description: String,
    /// The score's range.
    pub scale: Scale,
    /// Decimals used when showing scores.
    pub decimals: usize,
    /// Status, approval, review date, freshness limit.
    pub governance: governance::Governance,
}

/// A node of the tree: indicators first (`0..n_indicators`), then groups.
pub type NodeId = u32;

/// A validated, compiled model. Immutable, `Send + Sync`: one instance can serve many
/// threads. Built only by [`Model::from_source`].
#[derive(Debug, Clone)]
pub struct Model {
    /// Header.
    pub(crate) meta: ModelMeta,
    /// Leaves; indicator `i` is node `i` and reads input slot `i`.
    pub(crate) indicators: Vec<Indicator>,
    /// Extra inputs; aux input `j` is input slot `indicators.len() + j`.
    pub(crate) aux_inputs: Vec<AuxInput>,
    /// Groups; group `g` is node `indicators.len() + g`.
    pub(crate) groups: Vec<Group>,
    /// Children of all groups, flat; a group owns `first_edge .. first_edge + n_children`.
    pub(crate) edges: Vec<NodeId>,
    /// Nominal weights, one per edge, as written (not normalised).
    pub(crate) weights: Vec<f64>,
    /// Groups in an order where every dependency comes first (children, formula names).
    pub(crate) order: Vec<u32>,
    /// The root node (a group).
    pub(crate) root: NodeId,
    /// Bands, ascending.
    pub(crate) bands: Vec<Band>,
    /// Rules, in file order.
    pub(crate) rules: Vec<Rule>,
    /// For each node, the group that holds it as a child (none for the root).
    pub(crate) parent: Vec<Option<u32>>,
    /// Indicators computed from event and position files, in indicator order.
    pub(crate) derived: Vec<crate::derive::spec::Derived>,
    /// What the model says about data files (`[data]`).
    pub(crate) data: crate::derive::spec::DataPolicy,
    /// How the weights vary under simulation.
    pub(crate) weight_uncertainty: WeightUncertainty,
    /// Choices left open (other aggregations, other normalisations), in file order.
    pub(crate) alternatives: Vec<Alternative>,
    /// The money section, if the model has one.
    pub(crate) finance: Option<crate::finance::spec::Finance>,
    /// SHA-256 of the file, hex.
    pub(crate) sha256: String,
    /// The file name given when loading.
    pub(crate) origin: String,
    /// Every indicator, group and aux input by id, so that binding a project and reading
    /// a model test look names up in constant time (a linear search per value made
    /// binding quadratic in the number of indicators).
    pub(crate) ids: HashMap<String, Named>,
}

/// What an id of a compiled model names (see [`Model::node_by_id`], [`Model::input_by_id`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Named {
    /// Indicator `i`: node `i` and input slot `i`.
    Indicator(u32),
    /// Group `g`: node `indicators.len() + g`.
    Group(u32),
    /// Aux input `j`: input slot `indicators.len() + j`.
    Aux(u32),
}

/// The numbers a model's evaluation may vary without recompiling: the weights and the
/// option taken at each declared alternative. `Model::default_params` gives the nominal
/// ones.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// One weight per edge of [`Model::edges`]; renormalised within each group.
    pub weights: Vec<f64>,
    /// One option index per [`Model::alternatives`] entry; 0 is the nominal option.
    pub choices: Vec<u16>,
}

impl Model {
    /// Reads and validates a model file. Warnings come back with the model; any error
    /// returns every diagnostic found.
    pub fn from_source(src: &SourceFile) -> Result<(Model, Vec<Diagnostic>), Error> {
        let (model, diags) = Model::check(src);
        match model {
            Some(m) if !has_errors(&diags) => Ok((m, diags)),
            _ => Err(Error::Invalid(diags)),
        }
    }

    /// Reads and validates a model from text (a convenience for library users).
    pub fn from_toml(name: &str, text: &str) -> Result<Model, Error> {
        Model::from_source(&SourceFile::new(name, text)).map(|(m, _)| m)
    }

    /// Every diagnostic of a model file, and the model if it has no error.
    pub fn check(src: &SourceFile) -> (Option<Model>, Vec<Diagnostic>) {
        let (raw, mut diags) = read::read_model(src);
        let Some(raw) = raw else { return (None, diags) };
        let (model, more) = validate::compile(src, raw);
        diags.extend(more);
        (model.filter(|_| !has_errors(&diags)), diags)
    }

    /// Number of nodes (indicators and groups).
    pub fn n_nodes(&self) -> usize {
        self.indicators.len() + self.groups.len()
    }

    /// Number of input slots (indicators and aux inputs).
    pub fn n_inputs(&self) -> usize {
        self.indicators.len() + self.aux_inputs.len()
    }

    /// The nominal parameters.
    pub fn default_params(&self) -> Params {
        Params {
            weights: self.weights.clone(),
            choices: vec![0; self.alternatives.len()],
        }
    }

    /// The aggregation group `g` uses under `params` (its own unless an alternative is
    /// chosen).
    #[inline]
    pub fn aggregation_for(&self, g: usize, params: &Params) -> &Aggregation {
        let group = &self.groups[g];
        match group.alternative.map(usize::from) {
            Some(a) => match &self.alternatives[a].options {
                AlternativeOptions::Aggregation { options, .. } => {
                    let k = params.choices.get(a).map_or(0, |&c| usize::from(c));
                    options.get(k).unwrap_or(&group.aggregation)
                }
                AlternativeOptions::Normalisation { .. } => &group.aggregation,
            },
            None => &group.aggregation,
        }
    }

    /// The normalisation indicator `i` uses under `params`.
    #[inline]
    pub fn normalisation_for(&self, i: usize, params: &Params) -> &Normalisation {
        let ind = &self.indicators[i];
        match ind.alternative.map(usize::from) {
            Some(a) => match &self.alternatives[a].options {
                AlternativeOptions::Normalisation { options, .. } => {
                    let k = params.choices.get(a).map_or(0, |&c| usize::from(c));
                    options.get(k).unwrap_or(&ind.normalisation)
                }
                AlternativeOptions::Aggregation { .. } => &ind.normalisation,
            },
            None => &ind.normalisation,
        }
    }

    /// The group a node id refers to, if it is a group.
    pub fn group_of(&self, node: NodeId) -> Option<&Group> {
        (node as usize)
            .checked_sub(self.indicators.len())
            .and_then(|g| self.groups.get(g))
    }

    /// Id of a node.
    pub fn node_id(&self, node: NodeId) -> &str {
        let n = node as usize;
        match self.indicators.get(n) {
            Some(i) => &i.id,
            None => self.group_of(node).map_or("?", |g| &g.id),
        }
    }

    /// Label of a node.
    pub fn node_label(&self, node: NodeId) -> &str {
        let n = node as usize;
        match self.indicators.get(n) {
            Some(i) => &i.label,
            None => self.group_of(node).map_or("?", |g| &g.label),
        }
    }

    /// Id of an input slot.
    pub fn input_id(&self, slot: u32) -> &str {
        let s = slot as usize;
        match self.indicators.get(s) {
            Some(i) => &i.id,
            None => self
                .aux_inputs
                .get(s - self.indicators.len())
                .map_or("?", |a| &a.id),
        }
    }

    /// Children of a group, with their edge indices.
    pub fn children(&self, g: &Group) -> impl Iterator<Item = (usize, NodeId)> + '_ {
        let start = g.first_edge as usize;
        let end = start + g.n_children as usize;
        (start..end).map(move |e| (e, self.edges[e]))
    }

    /// The band index a score falls in (thresholds are inclusive lower bounds).
    pub fn band_of(&self, score: f64) -> u16 {
        let idx = self
            .bands
            .iter()
            .rposition(|b| score >= b.from)
            .unwrap_or(0);
        idx as u16
    }

    /// Node id of an indicator or group by id (for library users and tests, not the kernel).
    pub fn node_by_id(&self, id: &str) -> Option<NodeId> {
        match self.ids.get(id)? {
            Named::Indicator(i) => Some(*i),
            Named::Group(g) => Some(self.indicators.len() as u32 + g),
            Named::Aux(_) => None,
        }
    }

    /// Input slot by id.
    pub fn input_by_id(&self, id: &str) -> Option<u32> {
        match self.ids.get(id)? {
            Named::Indicator(i) => Some(*i),
            Named::Aux(j) => Some(self.indicators.len() as u32 + j),
            Named::Group(_) => None,
        }
    }
}

impl Model {
    /// Nominal effective weight of every node: the product of its weights, each normalised
    /// within its group, along the path from the root. Exact influence for arithmetic
    /// trees; for other aggregations a nominal figure (the assessment gives actual ones).
    pub fn nominal_effective_weights(&self) -> Vec<f64> {
        let mut eff = vec![0.0; self.n_nodes()];
        eff[self.root as usize] = 1.0;
        for &g in self.order.iter().rev() {
            let group = &self.groups[g as usize];
            let node = self.indicators.len() + g as usize;
            let total: f64 = self.children(group).map(|(e, _)| self.weights[e]).sum();
            for (e, c) in self.children(group) {
                eff[c as usize] = eff[node] * self.weights[e] / total;
            }
        }
        eff
    }
}

/// Read-only access: a compiled model is only built by the validator, so its indices are
/// always consistent; these accessors keep it that way.
impl Model {
    /// See the field of the same name.
    pub fn meta(&self) -> &ModelMeta {
        &self.meta
    }

    /// See the field of the same name.
    pub fn indicators(&self) -> &[Indicator] {
        &self.indicators
    }

    /// See the field of the same name.
    pub fn aux_inputs(&self) -> &[AuxInput] {
        &self.aux_inputs
    }

    /// See the field of the same name.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// See the field of the same name.
    pub fn edges(&self) -> &[NodeId] {
        &self.edges
    }

    /// See the field of the same name.
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// See the field of the same name.
    pub fn order(&self) -> &[u32] {
        &self.order
    }

    /// See the field of the same name.
    pub fn root(&self) -> NodeId {
        self.root
    }

    /// See the field of the same name.
    pub fn bands(&self) -> &[Band] {
        &self.bands
    }

    /// See the field of the same name.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// See the field of the same name.
    pub fn parent(&self) -> &[Option<u32>] {
        &self.parent
    }

    /// See the field of the same name.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// See the field of the same name.
    pub fn origin(&self) -> &str {
        &self.origin
    }
    /// Indicators computed from event and position files.
    pub fn derived(&self) -> &[crate::derive::spec::Derived] {
        &self.derived
    }

    /// Whether a rejected row of a data file stops scoring.
    pub fn rejected_rows(&self) -> crate::derive::spec::RejectedRows {
        self.data.rejected_rows
    }

    /// What the model says about data files: rejected rows, coverage, empty files.
    pub fn data_policy(&self) -> crate::derive::spec::DataPolicy {
        self.data
    }

    /// How the weights vary under simulation.
    pub fn weight_uncertainty(&self) -> WeightUncertainty {
        self.weight_uncertainty
    }

    /// Choices left open by the model's author.
    pub fn alternatives(&self) -> &[Alternative] {
        &self.alternatives
    }

    /// The money section, if any.
    pub fn finance(&self) -> Option<&crate::finance::spec::Finance> {
        self.finance.as_ref()
    }
}
