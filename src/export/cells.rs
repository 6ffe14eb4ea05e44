//! Export rows turned into CSV cells: a serde serializer for the flat
//! records exports write (a struct of text, numbers, flags and options),
//! which passes every text cell through the formula guard (see
//! [`formula_guard`]) and writes numbers as the CSV writer would. One
//! [`Row`] is reused for every record: its cells are written into one
//! buffer, so a large export allocates nothing per cell.

use std::fmt;

use serde::Serialize;
use serde::ser::{self, Impossible, SerializeStruct};

use crate::domain::cleanup::formula_guard;

/// Why a value is not a flat record of cells.
#[derive(Debug)]
pub struct NotFlat(String);

impl fmt::Display for NotFlat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NotFlat {}

impl ser::Error for NotFlat {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        NotFlat(msg.to_string())
    }
}

/// One row: its field names and its cells, in order, the cells' text in
/// one buffer.
#[derive(Default)]
pub struct Row {
    pub names: Vec<&'static str>,
    text: String,
    ends: Vec<usize>,
}

impl Row {
    /// Reads `record`, a struct of plain values, in place of the row before.
    pub fn read<T: Serialize>(&mut self, record: &T) -> Result<(), NotFlat> {
        self.names.clear();
        self.text.clear();
        self.ends.clear();
        record.serialize(&mut *self)
    }

    /// The cells, in order.
    pub fn cells(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(self.ends.iter().copied())
            .map(|(start, end)| &self.text[start..end])
    }
}

/// Refuses a value of serde's kind `what` (`seq`, `map`…): export rows
/// hold plain values only.
fn not_flat<T>(what: &str) -> Result<T, NotFlat> {
    Err(NotFlat(crate::tr!("cli.not_flat", what = what)))
}

/// The serializer methods both serializers share: the narrower numbers
/// read as the wider ones, and what no cell and no row holds (bytes,
/// lists, tuples, maps, enums with data) refused with the kind it is.
macro_rules! refuse_compounds {
    () => {
        fn serialize_i8(self, v: i8) -> Result<(), NotFlat> {
            self.serialize_i64(v.into())
        }
        fn serialize_i16(self, v: i16) -> Result<(), NotFlat> {
            self.serialize_i64(v.into())
        }
        fn serialize_i32(self, v: i32) -> Result<(), NotFlat> {
            self.serialize_i64(v.into())
        }
        fn serialize_u8(self, v: u8) -> Result<(), NotFlat> {
            self.serialize_u64(v.into())
        }
        fn serialize_u16(self, v: u16) -> Result<(), NotFlat> {
            self.serialize_u64(v.into())
        }
        fn serialize_u32(self, v: u32) -> Result<(), NotFlat> {
            self.serialize_u64(v.into())
        }
        fn serialize_f32(self, v: f32) -> Result<(), NotFlat> {
            self.serialize_f64(v.into())
        }
        fn serialize_bytes(self, _: &[u8]) -> Result<(), NotFlat> {
            not_flat("bytes")
        }
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<(), NotFlat> {
            not_flat("enum")
        }
        fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, NotFlat> {
            not_flat("seq")
        }
        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NotFlat> {
            not_flat("tuple")
        }
        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleStruct, NotFlat> {
            not_flat("tuple")
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, NotFlat> {
            not_flat("enum")
        }
        fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NotFlat> {
            not_flat("map")
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, NotFlat> {
            not_flat("enum")
        }
    };
}

impl SerializeStruct for &mut Row {
    type Ok = ();
    type Error = NotFlat;

    fn serialize_field<V: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &V,
    ) -> Result<(), NotFlat> {
        self.names.push(key);
        value.serialize(Cell(&mut self.text))?;
        self.ends.push(self.text.len());
        Ok(())
    }

    fn end(self) -> Result<(), NotFlat> {
        Ok(())
    }
}

/// Serializes a record: only a struct is one.
impl<'a> ser::Serializer for &'a mut Row {
    type Ok = ();
    type Error = NotFlat;
    type SerializeSeq = Impossible<(), NotFlat>;
    type SerializeTuple = Impossible<(), NotFlat>;
    type SerializeTupleStruct = Impossible<(), NotFlat>;
    type SerializeTupleVariant = Impossible<(), NotFlat>;
    type SerializeMap = Impossible<(), NotFlat>;
    type SerializeStruct = &'a mut Row;
    type SerializeStructVariant = Impossible<(), NotFlat>;

    refuse_compounds!();

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, NotFlat> {
        Ok(self)
    }

    fn serialize_bool(self, _: bool) -> Result<(), NotFlat> {
        not_flat("bool")
    }
    fn serialize_i64(self, _: i64) -> Result<(), NotFlat> {
        not_flat("number")
    }
    fn serialize_u64(self, _: u64) -> Result<(), NotFlat> {
        not_flat("number")
    }
    fn serialize_f64(self, _: f64) -> Result<(), NotFlat> {
        not_flat("number")
    }
    fn serialize_char(self, _: char) -> Result<(), NotFlat> {
        not_flat("char")
    }
    fn serialize_str(self, _: &str) -> Result<(), NotFlat> {
        not_flat("str")
    }
    fn serialize_none(self) -> Result<(), NotFlat> {
        not_flat("unit")
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), NotFlat> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), NotFlat> {
        not_flat("unit")
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), NotFlat> {
        not_flat("unit")
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<(), NotFlat> {
        not_flat("enum")
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), NotFlat> {
        value.serialize(self)
    }
}

/// Serializes one field's value into its cell, at the end of the buffer.
struct Cell<'b>(&'b mut String);

impl Cell<'_> {
    fn write(self, text: impl fmt::Display) -> Result<(), NotFlat> {
        use std::fmt::Write;
        write!(self.0, "{text}").map_err(|e| NotFlat(e.to_string()))
    }
}

impl ser::Serializer for Cell<'_> {
    type Ok = ();
    type Error = NotFlat;
    type SerializeSeq = Impossible<(), NotFlat>;
    type SerializeTuple = Impossible<(), NotFlat>;
    type SerializeTupleStruct = Impossible<(), NotFlat>;
    type SerializeTupleVariant = Impossible<(), NotFlat>;
    type SerializeMap = Impossible<(), NotFlat>;
    type SerializeStruct = Impossible<(), NotFlat>;
    type SerializeStructVariant = Impossible<(), NotFlat>;

    refuse_compounds!();

    fn serialize_str(self, v: &str) -> Result<(), NotFlat> {
        self.0.push_str(&formula_guard(v));
        Ok(())
    }
    fn serialize_bool(self, v: bool) -> Result<(), NotFlat> {
        self.write(v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), NotFlat> {
        self.write(v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), NotFlat> {
        self.write(v)
    }
    /// As the CSV writer writes a number: the shortest form that reads back
    /// the same (`1.0`, `90.2`).
    fn serialize_f64(self, v: f64) -> Result<(), NotFlat> {
        let text = serde_json::to_string(&v).map_err(|e| NotFlat(e.to_string()))?;
        self.0.push_str(&text);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), NotFlat> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_none(self) -> Result<(), NotFlat> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), NotFlat> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), NotFlat> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), NotFlat> {
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), NotFlat> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), NotFlat> {
        value.serialize(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, NotFlat> {
        not_flat("struct")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Sample {
        name: String,
        note: Option<String>,
        count: u64,
        variance: i64,
        score: f64,
        flag: bool,
    }

    #[test]
    fn a_flat_record_becomes_its_guarded_cells() {
        let mut row = Row::default();
        row.read(&Sample {
            name: "=HYPERLINK(\"x\")".into(),
            note: None,
            count: 3,
            variance: -12,
            score: 1.0,
            flag: true,
        })
        .expect("flat");
        assert_eq!(
            row.names,
            ["name", "note", "count", "variance", "score", "flag"]
        );
        assert_eq!(
            row.cells().collect::<Vec<_>>(),
            ["'=HYPERLINK(\"x\")", "", "3", "-12", "1.0", "true"]
        );
        assert!(row.read(&vec![1, 2]).is_err(), "a list is not a record");
    }
}
