//! `.output FILE.xlsx`: a sheet per query, read back with a workbook reader.
use calamine::{Data, Reader, Xlsx, open_workbook};

#[test]
fn each_query_goes_to_a_sheet_of_the_workbook() {
    let sandbox = crate::common::alipay();
    let out = sandbox.run_db(
        &["-q"],
        "insert 2023 services.daily_use_share=60%\n\
         .output out.xlsx\n\
         growth users from 2022 to 2023 by line\n\
         series services.daily_use_share from 2023\n\
         .output stdout\n\
         metrics users\n",
    );
    out.clean();
    assert!(
        out.stdout.starts_with("metric\t"),
        "rows after .output stdout go to stdout"
    );
    let mut book: Xlsx<_> = open_workbook(sandbox.path("out.xlsx")).unwrap();
    assert_eq!(book.sheet_names(), ["1 growth", "2 series"]);

    let growth = book.worksheet_range("1 growth").unwrap();
    let header: Vec<String> = growth
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        &header[..3],
        ["series", "line", "metric"],
        "label keys follow series"
    );
    let total = growth
        .rows()
        .find(|r| r[0] == Data::String("users".into()))
        .expect("the total row");
    assert_eq!(total[1], Data::Empty);
    assert_eq!(total[3], Data::String("2022".into()), "periods are text");
    assert!(
        matches!(total[4], Data::Float(_)),
        "numbers are numbers: {:?}",
        total[4]
    );
    let styles = book.worksheet_style("1 growth").unwrap();
    let bold = styles
        .get((0, 0))
        .and_then(|s| s.font.as_ref())
        .is_some_and(|f| f.is_bold());
    assert!(bold, "the header is bold");

    let series = book.worksheet_range("2 series").unwrap();
    let rows: Vec<&[Data]> = series.rows().collect();
    assert_eq!(
        rows[0][..6]
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>(),
        ["series", "period", "start", "end", "value", "change"]
    );
    let first = rows[1];
    assert!(
        matches!(&first[2], Data::DateTime(d) if d.is_datetime()),
        "start is a date: {:?}",
        first[2]
    );
    assert_eq!(first[4], Data::Float(0.6));
    let styles = book.worksheet_style("2 series").unwrap();
    let format = styles
        .get((1, 4))
        .and_then(|s| s.number_format.as_ref())
        .map(|f| f.format_code.clone());
    assert_eq!(
        format.as_deref(),
        Some("0.0%"),
        "a ratio's value is percent-formatted"
    );
    assert_eq!(first[5], Data::Empty, "nulls are empty cells");
}
