//! Writes the binary fixtures under `fixtures/` (workbooks and a gzipped
//! CSV) from the text ones, so that they can be remade and reviewed:
//!
//!     cargo run --example make_fixtures
use std::io::Write;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    periods_across()?;
    book()?;
    let prices = std::fs::read("fixtures/prices.csv")?;
    let file = std::fs::File::create("fixtures/prices.csv.gz")?;
    let mut gz = flate2::GzBuilder::new()
        .mtime(0)
        .write(file, flate2::Compression::best());
    gz.write_all(&prices)?;
    gz.finish()?;
    Ok(())
}

/// `wdi_gdp.xlsx`: the periods-across CSV as a workbook, years as numbers
/// in the header, as World Bank downloads have them.
fn periods_across() -> Result<(), XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("Data")?;
    let header = [
        "Country Name",
        "Country Code",
        "Indicator Name",
        "Indicator Code",
    ];
    for (column, name) in header.iter().enumerate() {
        sheet.write_string(0, column as u16, *name)?;
    }
    for (offset, year) in (2000..=2003).enumerate() {
        sheet.write_number(0, 4 + offset as u16, year)?;
    }
    let rows: [(&str, &str, [Option<f64>; 4]); 3] = [
        (
            "Aruba",
            "ABW",
            [
                Some(1873452514.52514),
                Some(1896456983.24022),
                Some(1961843575.41899),
                Some(2044111731.84358),
            ],
        ),
        (
            "Namibia",
            "NA",
            [
                Some(3909962639.64461),
                Some(3540310664.79358),
                Some(3360126221.86788),
                None,
            ],
        ),
        ("Korea, Dem. People's Rep.", "PRK", [None, None, None, None]),
    ];
    for (index, (name, code, values)) in rows.iter().enumerate() {
        let row = index as u32 + 1;
        sheet.write_string(row, 0, *name)?;
        sheet.write_string(row, 1, *code)?;
        sheet.write_string(row, 2, "GDP (current US$)")?;
        sheet.write_string(row, 3, "NY.GDP.MKTP.CD")?;
        for (offset, value) in values.iter().enumerate() {
            if let Some(value) = value {
                sheet.write_number(row, 4 + offset as u16, *value)?;
            }
        }
    }
    workbook.save("fixtures/wdi_gdp.xlsx")
}

/// `book.xlsx`: a notes sheet first, then daily closes on date cells, then
/// monthly rates, some formatted as percents.
fn book() -> Result<(), XlsxError> {
    let mut workbook = Workbook::new();
    let notes = workbook.add_worksheet().set_name("Notes")?;
    notes.write_string(0, 0, "Closing prices and rates, for the import examples")?;
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let prices = workbook.add_worksheet().set_name("Prices")?;
    prices.write_string(0, 0, "Date")?;
    prices.write_string(0, 1, "Close")?;
    let closes = [
        ((2000, 1, 3), 3.997768),
        ((2000, 1, 31), 3.216518),
        ((2000, 2, 1), 3.149554),
        ((2000, 2, 29), 4.008929),
        ((2000, 3, 1), 4.229911),
        ((2000, 3, 31), 4.84375),
    ];
    for (index, ((y, m, d), close)) in closes.iter().enumerate() {
        let row = index as u32 + 1;
        prices.write_date_with_format(row, 0, ExcelDateTime::from_ymd(*y, *m, *d)?, &date)?;
        prices.write_number(row, 1, *close)?;
    }
    let percent = Format::new().set_num_format("0.0%");
    let rates = workbook.add_worksheet().set_name("Rates")?;
    rates.write_string(0, 0, "Month")?;
    rates.write_string(0, 1, "Unemployment")?;
    rates.write_string(0, 2, "Participation")?;
    let months = [
        ("2024-01", 0.037, 62.5),
        ("2024-02", 0.039, 62.5),
        ("2024-03", 0.038, 62.7),
    ];
    for (index, (month, unemployment, participation)) in months.iter().enumerate() {
        let row = index as u32 + 1;
        rates.write_string(row, 0, *month)?;
        rates.write_number_with_format(row, 1, *unemployment, &percent)?;
        rates.write_number(row, 2, *participation)?;
    }
    workbook.save("fixtures/book.xlsx")
}
