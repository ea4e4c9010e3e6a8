//! `calendar [fiscal_year_start=MONTH] [fiscal_year_label=end|start]`.
use super::keywords::{FISCAL_YEAR_LABEL, FISCAL_YEAR_START};
use super::{ParseError, Parser, error_at, first_time, invalid_at, keyword_of, unexpected};
use crate::core::command::CalendarSettings;
use crate::core::lexer::TokenKind;
use crate::core::period::{FiscalCalendar, FiscalLabel};

/// The settings of `calendar`, as help and messages name them.
pub const CALENDAR_SETTINGS: [&str; 2] = [FISCAL_YEAR_START, FISCAL_YEAR_LABEL];

impl Parser<'_> {
    pub(super) fn calendar(&mut self) -> Result<CalendarSettings, ParseError> {
        let mut settings = CalendarSettings::default();
        let mut seen = Vec::new();
        while let Some(option) = self.next() {
            let keyword = keyword_of(option);
            if !CALENDAR_SETTINGS.contains(&keyword.as_str()) {
                return Err(unexpected(
                    option,
                    "fiscal_year_start=MONTH or fiscal_year_label=end|start",
                ));
            }
            first_time(&mut seen, option)?;
            self.take(&[TokenKind::Eq], format_args!("\"=\" after \"{keyword}\""))?;
            if keyword.as_str() == FISCAL_YEAR_START {
                let t = self.take(
                    &[TokenKind::Word, TokenKind::Str],
                    "a month after \"fiscal_year_start=\" (1 to 12, or a name such as april or apr)",
                )?;
                let month = FiscalCalendar::parse_month(&t.text).ok_or_else(|| {
                    invalid_at(
                        t,
                        format!(
                            "invalid month \"{}\" after \"fiscal_year_start=\"; expected 1 to 12, or an English month name or its three-letter abbreviation (april, apr)",
                            t.text
                        ),
                    )
                })?;
                settings.start_month = Some(month);
            } else {
                let t = self.take(
                    &[TokenKind::Word, TokenKind::Str],
                    "end or start after \"fiscal_year_label=\"",
                )?;
                let label = FiscalLabel::parse(&t.text).ok_or_else(|| {
                    error_at(
                        t,
                        format!(
                            "unknown fiscal year label \"{}\"; expected end (the year in which the fiscal year ends) or start",
                            t.text
                        ),
                    )
                })?;
                settings.label = Some(label);
            }
        }
        Ok(settings)
    }
}
