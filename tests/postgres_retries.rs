//! A write that another process's transaction gets in the way of in
//! PostgreSQL (a serialization failure or a deadlock) is tried again, the
//! whole transaction, up to three times in all, when nothing else ran in
//! its transaction: a command on its own or the first of a batch's group.
//! Then, or anywhere else, it fails as `locked` and keeps nothing. The
//! failures are made by a trigger that fails the first N snapshots
//! written, counted by a sequence (which a rollback does not undo).
//!
//! These need `GROWTHDB_TEST_POSTGRES`; without it each prints that it
//! was skipped.
use crate::common::Sandbox;
use crate::common::postgres::Database;

struct Faulty {
    database: Database,
    sandbox: Sandbox,
}

impl Faulty {
    fn new() -> Option<Faulty> {
        let faulty = Faulty {
            database: Database::new()?,
            sandbox: Sandbox::new(),
        };
        faulty.run(&["-c", "metric x kind=stock"], "").ok();
        faulty
            .database
            .connect()
            .batch_execute(
                "CREATE SEQUENCE public.writes;
                 CREATE TABLE public.plan (skip bigint NOT NULL, failures bigint NOT NULL);
                 INSERT INTO public.plan VALUES (0, 0);
                 CREATE FUNCTION public.fault() RETURNS trigger LANGUAGE plpgsql AS $$
                 DECLARE
                   n bigint := nextval('public.writes') - (SELECT skip FROM public.plan);
                 BEGIN
                   IF n BETWEEN 1 AND (SELECT failures FROM public.plan) THEN
                     RAISE EXCEPTION 'injected' USING ERRCODE = '40001';
                   END IF;
                   RETURN NEW;
                 END $$;
                 CREATE TRIGGER fault BEFORE INSERT ON growthdb.snapshot
                   FOR EACH ROW EXECUTE FUNCTION public.fault();",
            )
            .expect("a trigger that fails writes");
        Some(faulty)
    }

    fn run(&self, args: &[&str], stdin: &str) -> crate::common::Output {
        let mut all = vec!["--db", self.database.url.as_str()];
        all.extend_from_slice(args);
        self.sandbox.run(&all, stdin)
    }

    /// After `skip` snapshots written, the next `failures` fail.
    fn fail_next(&self, skip: i64, failures: i64) {
        self.database
            .connect()
            .execute("ALTER SEQUENCE public.writes RESTART", &[])
            .expect("restart");
        self.database
            .connect()
            .execute(
                "UPDATE public.plan SET skip = $1, failures = $2",
                &[&skip, &failures],
            )
            .expect("plan");
    }

    /// How many snapshot writes were tried since [`Faulty::fail_next`].
    fn tried(&self) -> i64 {
        self.database
            .connect()
            .query_one(
                "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM public.writes",
                &[],
            )
            .expect("the count")
            .get(0)
    }

    fn years(&self) -> String {
        self.run(&["--format", "csv", "-c", "series x"], "").stdout
    }
}

const GAVE_UP: &str =
    "another process wrote to the store at the same time (tried 3 times); try again";

#[test]
fn a_command_on_its_own_is_tried_again_then_fails_as_locked() {
    let Some(f) = Faulty::new() else { return };
    f.fail_next(0, 2);
    let out = f.run(&["-c", "insert 2024 x=1"], "");
    out.ok();
    assert_eq!(f.tried(), 3);
    f.fail_next(0, 3);
    let out = f.run(&["--format", "json", "-c", "insert 2025 x=2"], "");
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stderr.contains(GAVE_UP), "{}", out.stderr);
    assert!(out.stderr.contains("\"kind\":\"locked\""), "{}", out.stderr);
    assert_eq!(f.tried(), 3);
    let years = f.years();
    assert!(
        years.contains("2024,") && !years.contains("2025,"),
        "{years}"
    );
}

#[test]
fn only_the_first_command_of_a_group_is_tried_again() {
    let Some(f) = Faulty::new() else { return };
    f.fail_next(0, 2);
    f.run(&[], "insert 2024 x=1\ninsert 2025 x=2\n").ok();
    assert_eq!(f.tried(), 4);
    // The second of a group is not: the first was confirmed already.
    f.fail_next(1, 1);
    let out = f.run(&[], "insert 2026 x=3\ninsert 2027 x=4\n");
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stderr.contains("line 2: "), "{}", out.stderr);
    assert_eq!(f.tried(), 2);
    // Nor is a command inside a block, or an import, whose file was read.
    f.fail_next(0, 1);
    let out = f.run(&[], "begin\ninsert 2029 x=6\ncommit\n");
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(f.tried(), 1);
    f.sandbox.write("x.csv", "series,period,value\nx,2030,7\n");
    f.fail_next(0, 1);
    let out = f.run(&["-c", ".import x.csv"], "");
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(f.tried(), 1);
    let years = f.years();
    for (year, kept) in [
        ("2024", true),
        ("2025", true),
        ("2026", true),
        ("2027", false),
        ("2029", false),
        ("2030", false),
    ] {
        assert_eq!(years.contains(&format!("{year},")), kept, "{year}: {years}");
    }
}
