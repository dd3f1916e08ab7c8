//! Raw JNI for the per-request path (see [`Arrays`]).

/// The per-request array copies, on raw JNI: `GetArrayLength`, and `GetByteArrayRegion` and
/// `SetByteArrayRegion` over whole arrays, cannot throw, so the exception checks and `Env`
/// set-up that the `jni` crate wraps around every call (about half the cost of a cache hit)
/// are left out. Header bytes land in a stack buffer when they fit, so reading them allocates
/// nothing.
pub(super) struct Arrays(*mut jni::sys::JNIEnv);

impl Arrays {
    /// # Safety
    /// `env` is the JNI environment of the current native call, with no exception pending.
    pub(super) unsafe fn new(env: *mut jni::sys::JNIEnv) -> Arrays {
        Arrays(env)
    }

    fn interface(&self) -> &jni::sys::JNINativeInterface_ {
        // SAFETY: `self.0` is a valid JNIEnv (see `new`): it points at the JVM's function table,
        // which outlives the call.
        unsafe { &**self.0 }
    }

    /// # Safety
    /// `array` is a live local reference to a `byte[]` (not null).
    unsafe fn len(&self, array: jni::sys::jobject) -> usize {
        // SAFETY: per the caller; GetArrayLength does not throw.
        let n = unsafe { (self.interface().v1_1.GetArrayLength)(self.0, array) };
        n.max(0) as usize
    }

    /// Calls `f` with the bytes of each array (`None` for a null reference).
    ///
    /// # Safety
    /// Each array is null or a live local reference to a `byte[]`.
    pub(super) unsafe fn with_bytes<R>(
        &self,
        arrays: [jni::sys::jobject; 3],
        f: impl FnOnce([Option<&[u8]>; 3]) -> R,
    ) -> R {
        use std::mem::MaybeUninit;
        const STACK: usize = 8 * 1024;
        // SAFETY: per the caller.
        let lens = arrays.map(|a| (!a.is_null()).then(|| unsafe { self.len(a) }));
        let total: usize = lens.iter().flatten().sum();
        let mut stack = [MaybeUninit::<u8>::uninit(); STACK];
        let mut heap = Vec::new();
        let buf: &mut [MaybeUninit<u8>] = if total <= STACK {
            &mut stack[..total]
        } else {
            heap.resize(total, MaybeUninit::uninit());
            &mut heap
        };
        let mut at = 0;
        for (a, n) in arrays.iter().zip(lens) {
            if let Some(n) = n {
                // SAFETY: per the caller; [at, at + n) lies inside `buf`; copying a whole array
                // (start 0, its own length) cannot throw.
                unsafe {
                    (self.interface().v1_1.GetByteArrayRegion)(
                        self.0,
                        *a,
                        0,
                        n as jni::sys::jsize,
                        buf[at..].as_mut_ptr().cast(),
                    )
                };
                at += n;
            }
        }
        // SAFETY: the GetByteArrayRegion calls above initialised every byte of buf[..total].
        let bytes: &[u8] = unsafe { std::slice::from_raw_parts(buf.as_ptr().cast(), total) };
        let mut rest = bytes;
        let views = lens.map(|n| {
            n.map(|n| {
                let (head, tail) = rest.split_at(n);
                rest = tail;
                head
            })
        });
        f(views)
    }

    /// Copies `bytes` into `out` if it is a large enough `byte[]`; false otherwise.
    ///
    /// # Safety
    /// `out` is null or a live local reference to a `byte[]`.
    pub(super) unsafe fn write(&self, out: jni::sys::jobject, bytes: &[u8]) -> bool {
        // SAFETY: per the caller.
        if out.is_null() || unsafe { self.len(out) } < bytes.len() {
            return false;
        }
        // SAFETY: per the caller; the region [0, len) lies inside `out`, so this cannot throw.
        unsafe {
            (self.interface().v1_1.SetByteArrayRegion)(
                self.0,
                out,
                0,
                bytes.len() as jni::sys::jsize,
                bytes.as_ptr().cast(),
            )
        };
        true
    }
}
