//! Columnar storage of loaded events: one `Vec` per field plus interners, so
//! a million events fit in well under 200 MB and scans touch only the columns
//! a filter needs.

use jiff::civil::Date;

use super::dates::days_to_date;
use super::intern::Interner;

/// Events loaded by [`read_events`](super::read_events), one index per event.
///
/// Every per-event column has [`len`](Self::len) entries. Text columns hold
/// ids into the table's interners (0 = empty cell); resolve a filter's text
/// to an id once with a `lookup_*` method, then compare ids per row.
/// Per-event accessors panic when `i >= len()`, like slice indexing.
#[derive(Debug, Clone)]
pub struct EventTable {
    date: Vec<i32>,
    timestamp: Vec<i64>,
    lat: Vec<f64>,
    lon: Vec<f64>,
    fatalities: Vec<u32>,
    geo_precision: Vec<u8>,
    time_precision: Vec<u8>,
    event_type: Vec<u16>,
    sub_event_type: Vec<u16>,
    actor1: Vec<u32>,
    actor2: Vec<u32>,
    admin1: Vec<u32>,
    location: Vec<u32>,
    inter1: Vec<u32>,
    civilian_targeting: Vec<bool>,
    /// `len() + 1` offsets into `tag_ids`: event i has
    /// `tag_ids[tags_start[i]..tags_start[i + 1]]`.
    tags_start: Vec<u32>,
    tag_ids: Vec<u32>,
    event_id: Vec<u32>,
    notes: Option<Vec<Box<str>>>,
    /// Which of the load's note words each event's notes contain (bit k: word k).
    note_hits: Option<Vec<u64>>,
    /// The note words looked for, lowercased, in bit order.
    note_words: Vec<String>,
    line: Vec<u32>,
    /// The actors of rows merged into an earlier row with the same event_id_cnty (ACLED's
    /// monadic exports list one event once per actor), sorted by event once loaded.
    more_rows: Vec<MoreRow>,
    /// While loading: the event index of each event id's first row (indexed by id; absent
    /// ids hold `u32::MAX`). Emptied once loading is done.
    first_of_id: Vec<u32>,
    event_types: Interner,
    sub_event_types: Interner,
    /// actor1 and actor2 share one interner: the same groups appear in both.
    actors: Interner,
    /// admin1 and location share one interner: both are place names.
    places: Interner,
    tags: Interner,
    ids: Interner,
    inters: Interner,
}

/// The actor fields of a further row of an event (same event_id_cnty as an earlier row).
/// Filters on actors and actor types match an event when any of its rows matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MoreRow {
    /// Index of the event (its first row).
    pub event: u32,
    /// actor1 id of this row.
    pub actor1: u32,
    /// actor2 id of this row.
    pub actor2: u32,
    /// inter1 id of this row.
    pub inter1: u32,
}

/// What [`EventTable::push`] did with a row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Pushed {
    /// A new event.
    New,
    /// A further row of the event stored at `first` (same event_id_cnty): its actors were
    /// added to that event; `differs` lists the fields on which it disagrees with the
    /// first row, as (column, first row's value, this row's value).
    Merged {
        first: usize,
        differs: Vec<(&'static str, String, String)>,
    },
}

/// One validated row, borrowed from the CSV record, ready to be stored.
pub(crate) struct NewEvent<'a> {
    pub date: i32,
    pub timestamp: i64,
    pub lat: f64,
    pub lon: f64,
    pub fatalities: u32,
    pub geo_precision: u8,
    pub time_precision: u8,
    pub event_type: &'a str,
    pub sub_event_type: &'a str,
    pub actor1: &'a str,
    pub actor2: &'a str,
    pub admin1: &'a str,
    pub location: &'a str,
    pub inter1: &'a str,
    pub civilian_targeting: bool,
    pub tags: &'a str,
    pub event_id: &'a str,
    pub notes: &'a str,
    pub line: u64,
}

impl EventTable {
    pub(crate) fn new(keep_notes: bool, note_words: Vec<String>) -> Self {
        Self {
            date: Vec::new(),
            timestamp: Vec::new(),
            lat: Vec::new(),
            lon: Vec::new(),
            fatalities: Vec::new(),
            geo_precision: Vec::new(),
            time_precision: Vec::new(),
            event_type: Vec::new(),
            sub_event_type: Vec::new(),
            actor1: Vec::new(),
            actor2: Vec::new(),
            admin1: Vec::new(),
            location: Vec::new(),
            inter1: Vec::new(),
            civilian_targeting: Vec::new(),
            tags_start: vec![0],
            tag_ids: Vec::new(),
            event_id: Vec::new(),
            notes: keep_notes.then(Vec::new),
            note_hits: (!note_words.is_empty()).then(Vec::new),
            note_words,
            line: Vec::new(),
            more_rows: Vec::new(),
            first_of_id: Vec::new(),
            event_types: Interner::new(),
            sub_event_types: Interner::new(),
            actors: Interner::new(),
            places: Interner::new(),
            tags: Interner::new(),
            ids: Interner::new(),
            inters: Interner::new(),
        }
    }

    /// Stores one row: a new event, or, when an earlier row has the same event_id_cnty,
    /// a further row of that event (the first row's date, place, fatalities and types
    /// stand; this row's actors are added). All interning happens before any column is
    /// pushed, so a failure (an interner full) leaves the columns aligned; the error is a
    /// rejection reason.
    pub(crate) fn push(
        &mut self,
        e: &NewEvent<'_>,
        note_hits: u64,
        tag_buf: &mut Vec<u32>,
    ) -> Result<Pushed, String> {
        fn full(column: &str) -> String {
            format!("{column}: too many distinct values in this file")
        }
        let event_id = self
            .ids
            .intern(e.event_id)
            .ok_or_else(|| full("event_id_cnty"))?;
        let first = self.first_of_id.get(event_id as usize).copied();
        if event_id != 0
            && let Some(first) = first.filter(|&f| f != u32::MAX)
        {
            return self
                .merge(first as usize, e, note_hits)
                .ok_or_else(|| full("actor1"));
        }
        let event_type = self
            .event_types
            .intern(e.event_type)
            .and_then(|id| u16::try_from(id).ok());
        let event_type = event_type.ok_or_else(|| full("event_type"))?;
        let sub_event_type = self
            .sub_event_types
            .intern(e.sub_event_type)
            .and_then(|id| u16::try_from(id).ok());
        let sub_event_type = sub_event_type.ok_or_else(|| full("sub_event_type"))?;
        let actor1 = self.actors.intern(e.actor1).ok_or_else(|| full("actor1"))?;
        let actor2 = self.actors.intern(e.actor2).ok_or_else(|| full("actor2"))?;
        let admin1 = self.places.intern(e.admin1).ok_or_else(|| full("admin1"))?;
        let location = self
            .places
            .intern(e.location)
            .ok_or_else(|| full("location"))?;
        let inter1 = self.inters.intern(e.inter1).ok_or_else(|| full("inter1"))?;
        let index = u32::try_from(self.date.len()).map_err(|_| full("event_id_cnty"))?;
        tag_buf.clear();
        for tag in e.tags.split(';').map(str::trim).filter(|t| !t.is_empty()) {
            tag_buf.push(self.tags.intern(tag).ok_or_else(|| full("tags"))?);
        }
        let tags_end =
            u32::try_from(self.tag_ids.len() + tag_buf.len()).map_err(|_| full("tags"))?;

        self.date.push(e.date);
        self.timestamp.push(e.timestamp);
        self.lat.push(e.lat);
        self.lon.push(e.lon);
        self.fatalities.push(e.fatalities);
        self.geo_precision.push(e.geo_precision);
        self.time_precision.push(e.time_precision);
        self.event_type.push(event_type);
        self.sub_event_type.push(sub_event_type);
        self.actor1.push(actor1);
        self.actor2.push(actor2);
        self.admin1.push(admin1);
        self.location.push(location);
        self.inter1.push(inter1);
        self.civilian_targeting.push(e.civilian_targeting);
        self.tag_ids.extend_from_slice(tag_buf);
        self.tags_start.push(tags_end);
        self.event_id.push(event_id);
        if let Some(notes) = &mut self.notes {
            notes.push(e.notes.into());
        }
        if let Some(hits) = &mut self.note_hits {
            hits.push(note_hits);
        }
        // Lines past u32::MAX would need a file of 4 billion lines; saturate.
        self.line.push(u32::try_from(e.line).unwrap_or(u32::MAX));
        if event_id != 0 {
            let slot = event_id as usize;
            if self.first_of_id.len() <= slot {
                self.first_of_id.resize(slot + 1, u32::MAX);
            }
            self.first_of_id[slot] = index;
        }
        Ok(Pushed::New)
    }

    /// Adds a further row of event `first`: its actors, and its note words (a note filter
    /// matches when any row's notes hold the word). `None` when an interner is full.
    fn merge(&mut self, first: usize, e: &NewEvent<'_>, note_hits: u64) -> Option<Pushed> {
        let more = MoreRow {
            event: u32::try_from(first).ok()?,
            actor1: self.actors.intern(e.actor1)?,
            actor2: self.actors.intern(e.actor2)?,
            inter1: self.inters.intern(e.inter1)?,
        };
        let mut differs = Vec::new();
        let mut compare = |column: &'static str, was: String, now: String| {
            if was != now {
                differs.push((column, was, now));
            }
        };
        compare(
            "event_date",
            days_to_date(self.date[first]).to_string(),
            days_to_date(e.date).to_string(),
        );
        compare("latitude", self.lat[first].to_string(), e.lat.to_string());
        compare("longitude", self.lon[first].to_string(), e.lon.to_string());
        compare(
            "location",
            self.location_name(first).to_owned(),
            e.location.to_owned(),
        );
        compare(
            "fatalities",
            self.fatalities[first].to_string(),
            e.fatalities.to_string(),
        );
        compare(
            "event_type",
            self.event_type_name(first).to_owned(),
            e.event_type.to_owned(),
        );
        compare(
            "sub_event_type",
            self.sub_event_type_name(first).to_owned(),
            e.sub_event_type.to_owned(),
        );
        if let Some(hits) = &mut self.note_hits {
            hits[first] |= note_hits;
        }
        self.more_rows.push(more);
        Some(Pushed::Merged { first, differs })
    }

    /// Releases spare capacity once loading is done (Vec doubling can leave
    /// up to half of each column unused).
    pub(crate) fn shrink_to_fit(&mut self) {
        // Rows of one event are usually adjacent, so this is nearly sorted already.
        self.more_rows.sort_by_key(|m| m.event);
        self.more_rows.shrink_to_fit();
        self.first_of_id = Vec::new();
        self.date.shrink_to_fit();
        self.timestamp.shrink_to_fit();
        self.lat.shrink_to_fit();
        self.lon.shrink_to_fit();
        self.fatalities.shrink_to_fit();
        self.geo_precision.shrink_to_fit();
        self.time_precision.shrink_to_fit();
        self.event_type.shrink_to_fit();
        self.sub_event_type.shrink_to_fit();
        self.actor1.shrink_to_fit();
        self.actor2.shrink_to_fit();
        self.admin1.shrink_to_fit();
        self.location.shrink_to_fit();
        self.inter1.shrink_to_fit();
        self.civilian_targeting.shrink_to_fit();
        self.tags_start.shrink_to_fit();
        self.tag_ids.shrink_to_fit();
        self.event_id.shrink_to_fit();
        if let Some(notes) = &mut self.notes {
            notes.shrink_to_fit();
        }
        if let Some(hits) = &mut self.note_hits {
            hits.shrink_to_fit();
        }
        self.line.shrink_to_fit();
        for interner in self.interners_mut() {
            interner.shrink_to_fit();
        }
    }

    fn interners_mut(&mut self) -> [&mut Interner; 7] {
        [
            &mut self.event_types,
            &mut self.sub_event_types,
            &mut self.actors,
            &mut self.places,
            &mut self.tags,
            &mut self.ids,
            &mut self.inters,
        ]
    }

    /// Heap memory held by the table, from the capacities of its vectors and
    /// interners (plus the text of kept notes).
    pub fn heap_bytes(&self) -> usize {
        fn cap<T>(v: &Vec<T>) -> usize {
            v.capacity() * size_of::<T>()
        }
        let columns = cap(&self.date)
            + cap(&self.timestamp)
            + cap(&self.lat)
            + cap(&self.lon)
            + cap(&self.fatalities)
            + cap(&self.geo_precision)
            + cap(&self.time_precision)
            + cap(&self.event_type)
            + cap(&self.sub_event_type)
            + cap(&self.actor1)
            + cap(&self.actor2)
            + cap(&self.admin1)
            + cap(&self.location)
            + cap(&self.inter1)
            + cap(&self.civilian_targeting)
            + cap(&self.tags_start)
            + cap(&self.tag_ids)
            + cap(&self.event_id)
            + cap(&self.line)
            + cap(&self.more_rows)
            + cap(&self.first_of_id);
        let notes = self
            .notes
            .as_ref()
            .map_or(0, |n| cap(n) + n.iter().map(|s| s.len()).sum::<usize>())
            + self.note_hits.as_ref().map_or(0, cap);
        let interners = [
            &self.event_types,
            &self.sub_event_types,
            &self.actors,
            &self.places,
            &self.tags,
            &self.ids,
            &self.inters,
        ]
        .iter()
        .map(|i| i.heap_bytes())
        .sum::<usize>();
        columns + notes + interners
    }

    /// Number of events.
    pub fn len(&self) -> usize {
        self.date.len()
    }

    /// True when no event was loaded.
    pub fn is_empty(&self) -> bool {
        self.date.is_empty()
    }

    // --- whole columns, for scans -------------------------------------------

    /// Event dates as days since 1970-01-01.
    pub fn dates(&self) -> &[i32] {
        &self.date
    }
    /// Upload times (Unix seconds); `i64::MIN` where absent.
    pub fn timestamps(&self) -> &[i64] {
        &self.timestamp
    }
    /// Latitudes (degrees, -90..=90).
    pub fn lats(&self) -> &[f64] {
        &self.lat
    }
    /// Longitudes (degrees, -180..=180).
    pub fn lons(&self) -> &[f64] {
        &self.lon
    }
    /// Fatalities (ACLED's conservative count).
    pub fn fatalities(&self) -> &[u32] {
        &self.fatalities
    }
    /// geo_precision 1-3, 0 where absent.
    pub fn geo_precisions(&self) -> &[u8] {
        &self.geo_precision
    }
    /// time_precision 1-3, 0 where absent.
    pub fn time_precisions(&self) -> &[u8] {
        &self.time_precision
    }
    /// Event type ids (see [`Self::lookup_event_type`]).
    pub fn event_type_ids(&self) -> &[u16] {
        &self.event_type
    }
    /// Sub-event type ids (see [`Self::lookup_sub_event_type`]).
    pub fn sub_event_type_ids(&self) -> &[u16] {
        &self.sub_event_type
    }
    /// actor1 ids (see [`Self::lookup_actor`]).
    pub fn actor1_ids(&self) -> &[u32] {
        &self.actor1
    }
    /// actor2 ids (see [`Self::lookup_actor`]).
    pub fn actor2_ids(&self) -> &[u32] {
        &self.actor2
    }
    /// admin1 ids (see [`Self::lookup_place`]).
    pub fn admin1_ids(&self) -> &[u32] {
        &self.admin1
    }
    /// location ids (see [`Self::lookup_place`]).
    pub fn location_ids(&self) -> &[u32] {
        &self.location
    }
    /// inter1 ids (see [`Self::lookup_inter`]).
    pub fn inter1_ids(&self) -> &[u32] {
        &self.inter1
    }
    /// Whether ACLED marked the event as targeting civilians.
    pub fn civilian_targeting(&self) -> &[bool] {
        &self.civilian_targeting
    }
    /// event_id_cnty ids (see [`Self::lookup_event_id`]).
    pub fn event_id_ids(&self) -> &[u32] {
        &self.event_id
    }
    /// CSV line on which each event starts (for traces back to the file).
    pub fn lines(&self) -> &[u32] {
        &self.line
    }

    // --- one event ----------------------------------------------------------

    /// Date of event `i`.
    pub fn date(&self, i: usize) -> Date {
        days_to_date(self.date[i])
    }
    /// Upload time of event `i`, if the file had one.
    pub fn timestamp(&self, i: usize) -> Option<i64> {
        Some(self.timestamp[i]).filter(|&t| t != i64::MIN)
    }
    /// ACLED id of event `i` (`""` if the file had none).
    pub fn event_id(&self, i: usize) -> &str {
        self.ids.resolve(self.event_id[i]).unwrap_or_default()
    }
    /// Event type text of event `i`.
    pub fn event_type_name(&self, i: usize) -> &str {
        self.event_types
            .resolve(u32::from(self.event_type[i]))
            .unwrap_or_default()
    }
    /// Sub-event type text of event `i`.
    pub fn sub_event_type_name(&self, i: usize) -> &str {
        self.sub_event_types
            .resolve(u32::from(self.sub_event_type[i]))
            .unwrap_or_default()
    }
    /// actor1 of event `i` (`""` if blank).
    pub fn actor1_name(&self, i: usize) -> &str {
        self.actors.resolve(self.actor1[i]).unwrap_or_default()
    }
    /// actor2 of event `i` (`""` if blank).
    pub fn actor2_name(&self, i: usize) -> &str {
        self.actors.resolve(self.actor2[i]).unwrap_or_default()
    }
    /// admin1 of event `i` (`""` if blank).
    pub fn admin1_name(&self, i: usize) -> &str {
        self.places.resolve(self.admin1[i]).unwrap_or_default()
    }
    /// location of event `i` (`""` if blank).
    pub fn location_name(&self, i: usize) -> &str {
        self.places.resolve(self.location[i]).unwrap_or_default()
    }
    /// inter1 of event `i` as written: text such as `Rebel group` in current
    /// exports, a code such as `2` in older ones.
    pub fn inter1_text(&self, i: usize) -> &str {
        self.inters.resolve(self.inter1[i]).unwrap_or_default()
    }
    /// Tag ids of event `i`.
    pub fn tag_ids_of(&self, i: usize) -> &[u32] {
        let (start, end) = (self.tags_start[i] as usize, self.tags_start[i + 1] as usize);
        self.tag_ids.get(start..end).unwrap_or_default()
    }
    /// Tags of event `i`, in file order.
    pub fn tags_of(&self, i: usize) -> impl Iterator<Item = &str> {
        self.tag_ids_of(i)
            .iter()
            .filter_map(|&id| self.tags.resolve(id))
    }
    /// Which note words (see [`super::ReadOptions::note_words`]) event `i`'s notes
    /// contain, bit k for word k; `None` unless the load looked for note words.
    pub fn note_hits(&self, i: usize) -> Option<u64> {
        self.note_hits.as_ref().map(|h| h[i])
    }

    /// The note words the load looked for (lowercased, in bit order).
    pub fn note_words(&self) -> &[String] {
        &self.note_words
    }

    /// Notes of event `i`; `None` unless loaded with `keep_notes`.
    pub fn notes(&self, i: usize) -> Option<&str> {
        self.notes.as_ref().map(|n| &*n[i])
    }
    /// CSV line on which event `i` starts.
    pub fn line(&self, i: usize) -> u32 {
        self.line[i]
    }
    /// The actors of the further rows of event `i` (rows with the same event_id_cnty
    /// after its first), in file order; empty for most events.
    pub fn more_rows_of(&self, i: usize) -> &[MoreRow] {
        let Ok(i) = u32::try_from(i) else {
            return &[];
        };
        let start = self.more_rows.partition_point(|m| m.event < i);
        let end = start + self.more_rows[start..].partition_point(|m| m.event == i);
        &self.more_rows[start..end]
    }

    // --- resolving filters (case-insensitive) -------------------------------

    /// Id of an event type, ignoring case.
    pub fn lookup_event_type(&self, name: &str) -> Option<u16> {
        self.event_types
            .get_ignore_case(name)
            .and_then(|id| u16::try_from(id).ok())
    }
    /// Id of a sub-event type, ignoring case.
    pub fn lookup_sub_event_type(&self, name: &str) -> Option<u16> {
        self.sub_event_types
            .get_ignore_case(name)
            .and_then(|id| u16::try_from(id).ok())
    }
    /// Id of an actor (as actor1 or actor2), ignoring case.
    pub fn lookup_actor(&self, name: &str) -> Option<u32> {
        self.actors.get_ignore_case(name)
    }
    /// Id of a place (as admin1 or location), ignoring case.
    pub fn lookup_place(&self, name: &str) -> Option<u32> {
        self.places.get_ignore_case(name)
    }
    /// Id of a tag, ignoring case.
    pub fn lookup_tag(&self, name: &str) -> Option<u32> {
        self.tags.get_ignore_case(name)
    }
    /// Id of an inter1 value, ignoring case.
    pub fn lookup_inter(&self, text: &str) -> Option<u32> {
        self.inters.get_ignore_case(text)
    }
    /// Id of an event_id_cnty value, ignoring case.
    pub fn lookup_event_id(&self, id: &str) -> Option<u32> {
        self.ids.get_ignore_case(id)
    }
    /// Index of the first event whose event_id_cnty is `id` (ignoring case).
    pub fn find_event(&self, id: &str) -> Option<usize> {
        let id = self.lookup_event_id(id).filter(|&id| id != 0)?;
        self.event_id.iter().position(|&e| e == id)
    }

    // --- the interners, to list or resolve values ---------------------------

    /// Event type names.
    pub fn event_types(&self) -> &Interner {
        &self.event_types
    }
    /// Sub-event type names.
    pub fn sub_event_types(&self) -> &Interner {
        &self.sub_event_types
    }
    /// Actor names (actor1 and actor2).
    pub fn actors(&self) -> &Interner {
        &self.actors
    }
    /// Place names (admin1 and location).
    pub fn places(&self) -> &Interner {
        &self.places
    }
    /// Tags.
    pub fn tags(&self) -> &Interner {
        &self.tags
    }
    /// event_id_cnty values.
    pub fn event_ids(&self) -> &Interner {
        &self.ids
    }
    /// inter1 values.
    pub fn inters(&self) -> &Interner {
        &self.inters
    }
}
