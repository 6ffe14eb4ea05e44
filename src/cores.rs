//! Work split over the machine's two cores: one task on a thread of its
//! own, in this thread's language, while another runs here.

/// Runs `there` on another thread and `here` on this one, and returns
/// both results once both have ended (a panic in either goes on here).
pub fn both<There, Here>(
    there: impl FnOnce() -> There + Send,
    here: impl FnOnce() -> Here,
) -> (There, Here)
where
    There: Send,
{
    let lang = crate::i18n::lang();
    std::thread::scope(|scope| {
        let other = scope.spawn(move || {
            crate::i18n::set_lang(lang);
            there()
        });
        let mine = here();
        let theirs = other
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (theirs, mine)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, lang, set_lang};

    #[test]
    fn the_other_thread_speaks_this_ones_language() {
        for spoken in [Lang::En, Lang::Zh] {
            set_lang(spoken);
            let (there, here) = both(lang, lang);
            assert_eq!((there, here), (spoken, spoken));
        }
    }

    #[test]
    #[should_panic(expected = "from there")]
    fn a_panic_over_there_goes_on_here() {
        both(|| panic!("from there"), || ());
    }
}
