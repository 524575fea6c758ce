// Event tests: buffered with the cases, flushed in the same transaction,
// read back in order, and tied to the right case (kLastCase).
#include <gtest/gtest.h>

#include "ft/error.h"
#include "ft/ledger/ledger.h"
#include "temp_dir.h"

namespace ft::ledger {
namespace {

using testing::TempDir;

CaseRow make_case(int64_t run_id, const std::string& op) {
  CaseRow c;
  c.run_id = run_id;
  c.suite = "forward";
  c.op = op;
  c.variant = "functional";
  c.dtype = "float32";
  c.mode = "hardened";
  c.outcome = "pass";
  return c;
}

EventRow make_event(int64_t run_id, int64_t case_id, const std::string& reason) {
  return EventRow{0, run_id, case_id, "div", "float32", reason, "detail of " + reason};
}

TEST(LedgerEvents, RoundTripInOrderAndFlushedWithTheCases) {
  TempDir dir;
  std::string path = dir.file("l.db");
  int64_t run = 0, other = 0;
  {
    auto l = Ledger::open(path, /*batch_size=*/100);
    run = l->begin_run(RunInfo{});
    other = l->begin_run(RunInfo{});
    l->add_case(make_case(run, "div"));
    l->add_event(make_event(run, kLastCase, "nan_produced"));
    l->add_event(make_event(run, 0, "inplace_overlap_refused"));
    l->add_event(make_event(other, 0, "other_run"));
    EXPECT_EQ(l->pending_count(), 1u);
    EXPECT_EQ(l->pending_event_count(), 3u);
  }  // the destructor flushes cases and events together
  auto l = Ledger::open(path);
  auto evs = l->events(run);
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(evs[0].reason, "nan_produced");
  EXPECT_EQ(evs[0].case_id, 1);  // kLastCase resolved at flush
  EXPECT_EQ(evs[0].run_id, run);
  EXPECT_EQ(evs[0].op, "div");
  EXPECT_EQ(evs[0].dtype, "float32");
  EXPECT_EQ(evs[0].detail, "detail of nan_produced");
  EXPECT_EQ(evs[1].reason, "inplace_overlap_refused");
  EXPECT_EQ(evs[1].case_id, 0);
  EXPECT_LT(evs[0].id, evs[1].id);
  ASSERT_EQ(l->events(other).size(), 1u);
  EXPECT_TRUE(l->events(999).empty());
}

TEST(LedgerEvents, LastCaseAfterAnAutomaticFlushAndEventsCountTowardsTheBatch) {
  TempDir dir;
  auto l = Ledger::open(dir.file("l.db"), /*batch_size=*/2);
  int64_t run = l->begin_run(RunInfo{});
  l->add_case(make_case(run, "a"));
  l->add_case(make_case(run, "b"));  // batch full: flushed, ids 1 and 2
  EXPECT_EQ(l->pending_count(), 0u);
  l->add_event(make_event(run, kLastCase, "r1"));  // "b", already committed
  l->add_case(make_case(run, "c"));                // event + case: flushed
  EXPECT_EQ(l->pending_event_count(), 0u);
  l->add_event(make_event(run, 1, "r2"));  // an explicit committed id
  auto evs = l->events(run);
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(evs[0].case_id, 2);
  EXPECT_EQ(evs[1].case_id, 1);
  EXPECT_EQ(l->last_flush_ids(), (std::vector<int64_t>{3}));  // an events-only flush keeps them
}

TEST(LedgerEvents, BadEventsAreRefusedAtAdd) {
  TempDir dir;
  auto l = Ledger::open(dir.file("l.db"));
  int64_t run = l->begin_run(RunInfo{});
  int64_t other = l->begin_run(RunInfo{});
  EXPECT_THROW(l->add_event(make_event(run, kLastCase, "r")), ft::Error);  // no case yet
  EXPECT_THROW(l->add_event(make_event(run, 0, "")), ft::Error);           // no reason
  EXPECT_THROW(l->add_event(make_event(42, 0, "r")), ft::Error);           // no such run
  EXPECT_THROW(l->add_event(make_event(run, -7, "r")), ft::Error);
  l->add_case(make_case(other, "x"));
  EXPECT_THROW(l->add_event(make_event(run, kLastCase, "r")), ft::Error);  // other run's case
  l->flush();
  EXPECT_THROW(l->add_event(make_event(run, 1, "r")), ft::Error);   // case 1 is run `other`'s
  EXPECT_THROW(l->add_event(make_event(run, 99, "r")), ft::Error);  // no such case
  EXPECT_EQ(l->pending_event_count(), 0u);
  EXPECT_TRUE(l->events(run).empty());
}

}  // namespace
}  // namespace ft::ledger
