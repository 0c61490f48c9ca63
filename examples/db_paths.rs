//! Both paths of a `--db` request side by side on one warm connection
//! (BENCHMARKS.md, section 7): the median of 25 answers by each path
//! (`PagePath`), by the path the planner's estimate picks, of 25 new
//! connections, and of the first answer on each (a new server process). Run it beside a loaded server:
//!
//! ```sh
//! HSQ_TEST_DATABASE_URL=postgresql://… cargo run --release --example db_paths -- 'query=lastName:Kowalski'
//! ```
use helpscout_query::customers::ListCustomers;
use helpscout_query::db::Database;
use helpscout_query::sql::PagePath;
use std::time::{Duration, Instant};
fn med(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}
fn main() {
    let url = std::env::var("HSQ_TEST_DATABASE_URL").unwrap();
    let req = std::env::args().nth(1).unwrap();
    let request = ListCustomers::from_query_string(&req).unwrap().request;
    let now = "2024-06-15T12:00:00Z".parse().unwrap();
    let mut db = Database::connect(&url).unwrap();
    let (mut a, mut b, mut c, mut d, mut e) = (vec![], vec![], vec![], vec![], vec![]);
    for _ in 0..25 {
        let t = Instant::now();
        db.answer_via(&request, now, PagePath::WalkFirst).unwrap();
        a.push(t.elapsed());
        let t = Instant::now();
        db.answer_via(&request, now, PagePath::SortMatches).unwrap();
        b.push(t.elapsed());
        let t = Instant::now();
        db.answer(&request, now).unwrap();
        c.push(t.elapsed());
        let t = Instant::now();
        let mut fresh = Database::connect(&url).unwrap();
        d.push(t.elapsed());
        let t = Instant::now();
        fresh.answer(&request, now).unwrap();
        e.push(t.elapsed());
    }
    println!(
        "warm medians: walk-first {:?} sort-matches {:?} auto {:?} | connect {:?}, then auto on that new connection {:?}",
        med(a),
        med(b),
        med(c),
        med(d),
        med(e)
    );
}
