// The sections of index.html, each written by one function into the page
// (html.cpp assembles them). Every string from the ledger or the allowlist
// goes through escape_markup; no section may reference anything external.
#pragma once

#include <sstream>

#include "report_data.h"

namespace ft::reports::detail::html {

// Bar and cell colours shared by the charts.
const char* status_colour(Status s);
inline constexpr const char* kAllowedColour = "#54aeff";

void write_ulp_chart(std::ostringstream& h, const ReportData& d);       // html_ulp.cpp
void write_ulp_histograms(std::ostringstream& h, const ReportData& d);  // html_ulp.cpp
void write_trend_chart(std::ostringstream& h, const ReportData& d);     // html_trend.cpp
void write_training_charts(std::ostringstream& h, const ReportData& d);  // html_training.cpp
void write_bench(std::ostringstream& h, const ReportData& d);           // html_bench.cpp
void write_events(std::ostringstream& h, const ReportData& d);          // html_tables.cpp
void write_allowlist(std::ostringstream& h, const ReportData& d);       // html_tables.cpp

}  // namespace ft::reports::detail::html
