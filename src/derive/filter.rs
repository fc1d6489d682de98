//! Event filters resolved against one event table: names become interned ids once, so that
//! testing an event is integer comparisons (and substring search only for actors, whose
//! matching ids are found once, and notes).

use super::spec::EventMatch;
use crate::events::{EventTable, Interner};

/// One `match` table, resolved.
#[derive(Debug, Clone)]
struct ResolvedMatch {
    event_type: Option<Vec<u32>>,
    sub_event_type: Option<Vec<u32>>,
    /// Indexed by actor id: does this actor's name contain one of the texts?
    actor: Option<Vec<bool>>,
    civilian_targeting: Option<bool>,
    tags: Option<Vec<u32>>,
    /// Bits of the table's note words to look for, and the words themselves for tables
    /// that kept the text instead.
    notes: Option<(u64, Vec<String>)>,
    admin1: Option<Vec<u32>>,
    location: Option<Vec<u32>>,
    inter1: Option<Vec<u32>>,
}

/// The filters of one derived indicator, resolved against one table: an event matches when
/// any resolved match accepts it (every event, when the model gives none).
#[derive(Debug, Clone)]
pub struct Resolved {
    any_of: Vec<ResolvedMatch>,
}

impl Resolved {
    /// Resolves a model's matches against a table's vocabularies. Every spelling of a name
    /// that differs only in case is taken.
    pub fn new(matches: &[EventMatch], table: &EventTable) -> Self {
        let ids = |names: &[String], interner: &Interner| -> Option<Vec<u32>> {
            (!names.is_empty()).then(|| {
                names
                    .iter()
                    .flat_map(|n| interner.all_ignore_case(n))
                    .collect()
            })
        };
        let any_of = matches
            .iter()
            .map(|m| ResolvedMatch {
                event_type: ids(&m.event_type, table.event_types()),
                sub_event_type: ids(&m.sub_event_type, table.sub_event_types()),
                actor: (!m.actor.is_empty()).then(|| {
                    let wanted: Vec<String> = m.actor.iter().map(|a| a.to_lowercase()).collect();
                    let mut ok = vec![false; table.actors().len() + 1];
                    for (id, name) in table.actors().iter() {
                        let name = name.to_lowercase();
                        if let Some(slot) = ok.get_mut(id as usize) {
                            *slot = wanted.iter().any(|w| name.contains(w.as_str()));
                        }
                    }
                    ok
                }),
                civilian_targeting: m.civilian_targeting,
                tags: ids(&m.tags, table.tags()),
                notes: (!m.notes.is_empty()).then(|| {
                    let words: Vec<String> = m.notes.iter().map(|n| n.to_lowercase()).collect();
                    let mask = table
                        .note_words()
                        .iter()
                        .enumerate()
                        .filter(|(_, w)| words.contains(w))
                        .fold(0u64, |mask, (k, _)| mask | (1u64 << k));
                    (mask, words)
                }),
                admin1: ids(&m.admin1, table.places()),
                location: ids(&m.location, table.places()),
                inter1: ids(&m.inter1, table.inters()),
            })
            .collect();
        Resolved { any_of }
    }

    /// Does event `i` match? An event listed on several rows (one per actor, as ACLED's
    /// monadic exports do) matches when any of its rows does: its first row's date,
    /// place, types and tags with that row's actor1, actor2 and inter1.
    pub fn matches(&self, table: &EventTable, i: usize) -> bool {
        if self.any_of.is_empty() {
            return true;
        }
        let row_matches = |row: Actors| self.any_of.iter().any(|m| m.accepts(table, i, row));
        let first = Actors {
            actor1: table.actor1_ids()[i],
            actor2: table.actor2_ids()[i],
            inter1: table.inter1_ids()[i],
        };
        row_matches(first)
            || table.more_rows_of(i).iter().any(|m| {
                row_matches(Actors {
                    actor1: m.actor1,
                    actor2: m.actor2,
                    inter1: m.inter1,
                })
            })
    }
}

/// The fields that differ between the rows of one event.
#[derive(Debug, Clone, Copy)]
struct Actors {
    actor1: u32,
    actor2: u32,
    inter1: u32,
}

impl ResolvedMatch {
    fn accepts(&self, t: &EventTable, i: usize, row: Actors) -> bool {
        if let Some(ids) = &self.event_type
            && !ids.contains(&u32::from(t.event_type_ids()[i]))
        {
            return false;
        }
        if let Some(ids) = &self.sub_event_type
            && !ids.contains(&u32::from(t.sub_event_type_ids()[i]))
        {
            return false;
        }
        if let Some(ok) = &self.actor {
            let hit = |id: u32| ok.get(id as usize).copied().unwrap_or(false);
            if !hit(row.actor1) && !hit(row.actor2) {
                return false;
            }
        }
        if let Some(flag) = self.civilian_targeting
            && t.civilian_targeting()[i] != flag
        {
            return false;
        }
        if let Some(ids) = &self.tags
            && !t.tag_ids_of(i).iter().any(|tag| ids.contains(tag))
        {
            return false;
        }
        if let Some((mask, words)) = &self.notes {
            let found = match t.note_hits(i) {
                Some(hits) => hits & mask != 0,
                None => {
                    let notes = t.notes(i).unwrap_or("").to_lowercase();
                    words.iter().any(|w| notes.contains(w.as_str()))
                }
            };
            if !found {
                return false;
            }
        }
        if let Some(ids) = &self.admin1
            && !ids.contains(&t.admin1_ids()[i])
        {
            return false;
        }
        if let Some(ids) = &self.location
            && !ids.contains(&t.location_ids()[i])
        {
            return false;
        }
        if let Some(ids) = &self.inter1
            && !ids.contains(&row.inter1)
        {
            return false;
        }
        true
    }
}
