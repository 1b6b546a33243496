//! The journal's rules, run against every implementation.

use super::*;
use crate::ErrorCode;

fn key(n: &str, kind: DocumentKind) -> JournalKey {
    JournalKey::new(n, kind)
}

/// The life of two documents sent together, one refused and corrected, one lost and settled.
fn lifecycle(j: &dyn Journal) {
    let o = key("ZY0000001", DocumentKind::Oryginal);
    let k = key("ZY0000001", DocumentKind::Kopia);
    assert_eq!(
        j.record(&o, b"<o/>").expect("record").state,
        SendState::Recorded
    );
    j.record(&k, b"<k/>").expect("record");
    // Recording the same bytes again (a retry after a crash) changes nothing.
    assert_eq!(j.record(&o, b"<o/>").expect("again").attempts, 0);
    // Other bytes under the same number are refused while the first may still be at ZUS.
    let e = j.record(&o, b"<other/>").expect_err("other bytes");
    assert_eq!(e.code(), ErrorCode::Journal);
    assert!(e.to_string().contains("ZY0000001 ORYGINAL"), "{e}");

    j.begin_send(&[o.clone(), k.clone()]).expect("begin");
    // Not twice: a send in flight is not started again without asking ZUS.
    let e = j.begin_send(std::slice::from_ref(&o)).expect_err("twice");
    assert!(e.to_string().contains("SENDING"), "{e}");
    let open = j.open_entries().expect("open");
    assert_eq!(open.len(), 2);
    assert!(
        open.iter()
            .all(|e| e.state == SendState::Sending && e.attempts == 1)
    );

    j.mark_sent(&o, b"<UPP>1</UPP>").expect("sent");
    j.mark_sent(&o, b"<UPP>other</UPP>").expect("sent again");
    let sent = j.get(&o).expect("get").expect("entry");
    assert_eq!(sent.state, SendState::Sent);
    assert_eq!(
        sent.upp.as_deref(),
        Some(&b"<UPP>1</UPP>"[..]),
        "the first receipt is kept"
    );
    assert_eq!(
        j.record(&o, b"<changed/>").expect_err("sent").code(),
        ErrorCode::Journal
    );
    assert!(
        j.begin_send(std::slice::from_ref(&o)).is_err(),
        "a sent document is not sent again"
    );

    // The KOPIA's answer never came; ZUS says it does not have it; it is sent once more.
    j.set_detail(&k, "timeout after 30 s").expect("detail");
    assert_eq!(
        j.get(&k).expect("get").expect("entry").detail.as_deref(),
        Some("timeout after 30 s")
    );
    j.mark_not_received(&k).expect("not received");
    assert!(j.set_detail(&k, "x").is_err(), "details only while sending");
    j.begin_send(std::slice::from_ref(&k)).expect("again");
    j.mark_refused(&k, "BLAD 123: zły dokument")
        .expect("refused");
    // A refused document may be replaced by a corrected one under the same number.
    let fixed = j.record(&k, b"<k fixed=''/>").expect("corrected");
    assert_eq!((fixed.state, fixed.attempts), (SendState::Recorded, 2));
    assert_eq!(fixed.detail, None);

    // Unknown keys and impossible transitions are refused with the key named.
    let x = key("ZY9999999", DocumentKind::Azla);
    assert!(
        j.mark_sent(&x, b"u")
            .expect_err("missing")
            .to_string()
            .contains("ZY9999999 AZLA")
    );
    assert!(j.mark_refused(&o, "x").is_err());
    // begin_send is all or nothing.
    assert!(j.begin_send(&[k.clone(), x.clone()]).is_err());
    assert_eq!(
        j.get(&k).expect("get").expect("entry").state,
        SendState::Recorded
    );

    let all = j.entries().expect("entries");
    assert_eq!(
        all.iter().map(|e| e.key.clone()).collect::<Vec<_>>(),
        vec![o, k],
        "oldest first"
    );
}

/// A pair is recorded whole or not at all.
fn pairs_are_recorded_atomically(j: &dyn Journal) {
    let o = key("ZY0000007", DocumentKind::Oryginal);
    let k = key("ZY0000007", DocumentKind::Kopia);
    j.record(&k, b"<k/>").expect("record");
    j.begin_send(std::slice::from_ref(&k)).expect("sending");
    // The KOPIA is in flight with other bytes: the whole pair is refused, the ORYGINAŁ too.
    let pair = [
        (o.clone(), b"<o/>".to_vec()),
        (k.clone(), b"<k2/>".to_vec()),
    ];
    assert_eq!(
        j.record_all(&pair).expect_err("refused").code(),
        ErrorCode::Journal
    );
    assert!(
        j.get(&o).expect("get").is_none(),
        "nothing of the pair was recorded"
    );
    let pair = [(o.clone(), b"<o/>".to_vec()), (k.clone(), b"<k/>".to_vec())];
    let entries = j.record_all(&pair).expect("recorded");
    assert_eq!(entries[0].state, SendState::Recorded);
    assert_eq!(
        entries[1].state,
        SendState::Sending,
        "the same bytes: unchanged"
    );
}

/// An answer settled in one call: each outcome by its method's rules.
fn answers_are_settled_together(j: &dyn Journal) {
    let o = key("ZY0000009", DocumentKind::Oryginal);
    let k = key("ZY0000009", DocumentKind::Kopia);
    let pair = [(o.clone(), b"<o/>".to_vec()), (k.clone(), b"<k/>".to_vec())];
    j.record_all(&pair).expect("recorded");
    // Not sending yet: settling is refused by the transition rules.
    let early = [(o.clone(), Settlement::Sent(b"<UPP/>".to_vec()))];
    assert_eq!(
        j.settle_all(&early).expect_err("not sending").code(),
        ErrorCode::Journal
    );
    j.begin_send(&[o.clone(), k.clone()]).expect("begin");
    j.settle_all(&[
        (o.clone(), Settlement::Sent(b"<UPP>o</UPP>".to_vec())),
        (k.clone(), Settlement::Unknown("reset".into())),
    ])
    .expect("settled");
    let (eo, ek) = (
        j.get(&o).expect("get").expect("o"),
        j.get(&k).expect("get").expect("k"),
    );
    assert_eq!(
        (eo.state, eo.upp.as_deref()),
        (SendState::Sent, Some(&b"<UPP>o</UPP>"[..]))
    );
    assert_eq!(
        (ek.state, ek.detail.as_deref()),
        (SendState::Sending, Some("reset"))
    );
    j.settle_all(&[(k.clone(), Settlement::NotReceived)])
        .expect("not received");
    j.begin_send(std::slice::from_ref(&k)).expect("again");
    j.settle_all(&[(k.clone(), Settlement::Refused("301 duplikat".into()))])
        .expect("refused");
    assert_eq!(
        j.get(&k).expect("get").expect("k").state,
        SendState::Refused
    );
}

#[test]
fn memory_journal_follows_the_rules() {
    lifecycle(&MemoryJournal::new());
    pairs_are_recorded_atomically(&MemoryJournal::new());
    answers_are_settled_together(&MemoryJournal::new());
}

#[cfg(feature = "sqlite")]
mod sqlite {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("ezla-journal-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch");
        dir.join("journal.sqlite")
    }

    #[test]
    fn sqlite_journal_follows_the_rules_and_survives_reopening() {
        let path = scratch("rules");
        lifecycle(&SqliteJournal::open(&path).expect("open"));
        pairs_are_recorded_atomically(&SqliteJournal::open(scratch("pairs")).expect("open"));
        answers_are_settled_together(&SqliteJournal::open(scratch("settle")).expect("open"));
        // One transaction: an answer whose second outcome breaks the rules keeps none.
        let j = SqliteJournal::open(scratch("settle-atomic")).expect("open");
        let (o, k) = (
            key("ZY0000010", DocumentKind::Oryginal),
            key("ZY0000010", DocumentKind::Kopia),
        );
        j.record_all(&[(o.clone(), b"<o/>".to_vec()), (k.clone(), b"<k/>".to_vec())])
            .expect("recorded");
        j.begin_send(std::slice::from_ref(&o))
            .expect("only o sending");
        j.settle_all(&[
            (o.clone(), Settlement::Sent(b"<UPP/>".to_vec())),
            (k.clone(), Settlement::Sent(b"<UPP/>".to_vec())),
        ])
        .expect_err("k is not sending");
        assert_eq!(
            j.get(&o).expect("get").expect("o").state,
            SendState::Sending,
            "the first outcome was rolled back with the second"
        );
        // A second handle (another process, or the same one after a restart) sees it all.
        let j = SqliteJournal::open(&path).expect("reopen");
        let all = j.entries().expect("entries");
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].state, SendState::Sent);
        assert_eq!(all[0].upp.as_deref(), Some(&b"<UPP>1</UPP>"[..]));
        assert_eq!(all[1].signed, b"<k fixed=''/>");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "the journal holds patients' data");
        }
    }

    #[test]
    fn two_handles_on_one_file_see_each_other() {
        let path = scratch("shared");
        let a = SqliteJournal::open(&path).expect("a");
        let b = SqliteJournal::open(&path).expect("b");
        let o = key("ZY0000002", DocumentKind::Oryginal);
        a.record(&o, b"<o/>").expect("record");
        b.begin_send(std::slice::from_ref(&o)).expect("b sends");
        assert!(
            a.begin_send(std::slice::from_ref(&o)).is_err(),
            "a sees b's send"
        );
    }

    #[test]
    fn a_journal_from_a_newer_schema_or_not_sqlite_is_refused() {
        let path = scratch("newer");
        {
            let conn = rusqlite::Connection::open(&path).expect("open");
            conn.pragma_update(None, "user_version", 99)
                .expect("version");
        }
        let e = SqliteJournal::open(&path).expect_err("newer");
        assert_eq!(e.code(), ErrorCode::Journal);
        assert!(e.to_string().contains("version is 99"), "{e}");
        let path = scratch("garbage");
        std::fs::write(
            &path,
            b"this is not a database, but it is long enough to look like one..",
        )
        .expect("write");
        let e = SqliteJournal::open(&path).expect_err("garbage");
        assert_eq!(e.code(), ErrorCode::Journal);
        assert!(e.to_string().contains("journal.sqlite"), "{e}");
    }
}
