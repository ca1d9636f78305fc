//! What `dir()` lists for the objects a hook sees, as Python 3.11 and SQLAlchemy
//! 2.1.9 list them (recorded from the oracle's venv): an attribute in the list that
//! driftlab does not model is "not supported here"; one not in it is an
//! `AttributeError`, with the suggestion Python would make from this list.

pub const DIR_TABLE: &str = "\
__annotations__ __bool__ __class__ __class_getitem__ __delattr__ __dict__ __dir__ __doc__ __eq__ \
__format__ __ge__ __getattribute__ __getstate__ __gt__ __hash__ __init__ __init_subclass__ \
__invert__ __le__ __lt__ __module__ __ne__ __new__ __orig_bases__ __parameters__ __reduce__ \
__reduce_ex__ __repr__ __setattr__ __sizeof__ __slots__ __str__ __subclasshook__ __visit_name__ \
__weakref__ _all_selected_columns _annotate _annotations _annotations_cache_key \
_anonymous_fromclause _assert_no_memoizations _autoincrement_column _autoload _cache_key_traversal \
_clone _cloned_set _cols_populated _columns _compile_w_cache _compiler _compiler_dispatch \
_constructor _copy_internals _copy_reflect_only_elements _creator_ddl _de_clone _deannotate \
_default_compiler _default_dialect _dialect_kwargs_traverse_internals _dropper_ddl \
_execute_on_connection _execute_on_scalar _extra_dependencies _extra_kwargs _from_objects \
_gen_annotations_cache_key _gen_cache_key _gen_static_annotations_cache_key _generate_cache_attrs \
_generate_cache_key _generate_compiler_dispatch _generate_fromclause_column_proxies \
_get_embedded_bindparams _hide_froms _hierarchy_supports_caching _init_collections _init_existing \
_init_items _insert_col_impl _is_bind_parameter _is_clause_list _is_clone_of _is_column_element \
_is_from_clause _is_from_container _is_has_cache_key _is_immutable _is_join _is_keyed_column_element \
_is_lambda_element _is_lateral _is_lexical_equivalent _is_protocol _is_returns_rows _is_select_base \
_is_select_container _is_select_statement _is_singleton_constant _is_star _is_subquery _is_table \
_is_text_clause _is_textual _kw_reg_for_dialect_cls _kw_registry _memoized_keys _negate \
_negate_in_binary _new _order_by_label_element _original_compiler_dispatch \
_populate_column_collection _post_inspect _prefixes _propagate_attrs _reflect_only_kwargs \
_refresh_for_new_column _replace_params _reset_column_collection _reset_exported _reset_memoizations \
_role_name _schema_item_copy _select_iterable _sentinel_column _sentinel_column_characteristics \
_set_memoized_attribute _set_parent _set_parent_with_dispatch _set_propagate_attrs \
_setup_collections _sorted_constraints _traverse_internals _ungroup _use_schema_map \
_validate_dialect_kwargs _with_annotations _with_binary_element_type add_is_dependent_on alias \
allows_lambda append_column append_constraint argument_for autoincrement_column c columns comment \
compare compile constraints corresponding_column create create_drop_stringify_dialect delete \
description dialect_kwargs dialect_options dispatch drop entity_namespace exported_columns \
foreign_key_constraints foreign_keys fullname get_children get_dialect_option implicit_returning \
indexes info inherit_cache insert insert_column is_clause_element is_derived_from is_dml \
is_selectable is_view join key kwargs lateral memoized_attribute memoized_instancemethod metadata \
name named_with_column outerjoin params primary_key reflect_only_elements replace_selectable schema \
select selectable self_group set_creator_ddl set_dropper_ddl stringify_dialect supports_execution \
table_valued tablesample to_metadata tometadata unique_params update uses_inspection with_cols";

pub const DIR_COLUMN: &str = "\
__add__ __and__ __annotations__ __bool__ __class__ __class_getitem__ __contains__ __delattr__ \
__dict__ __dir__ __doc__ __eq__ __floordiv__ __format__ __ge__ __getattr__ __getattribute__ \
__getitem__ __getstate__ __gt__ __hash__ __init__ __init_subclass__ __invert__ __le__ __lshift__ \
__lt__ __matmul__ __mod__ __module__ __mul__ __ne__ __neg__ __new__ __or__ __orig_bases__ \
__parameters__ __pow__ __radd__ __reduce__ __reduce_ex__ __repr__ __rfloordiv__ __rlshift__ \
__rmatmul__ __rmod__ __rmul__ __rpow__ __rrshift__ __rshift__ __rsub__ __rtruediv__ __sa_operate__ \
__setattr__ __setstate__ __sizeof__ __slots__ __str__ __sub__ __subclasshook__ __truediv__ \
__visit_name__ __weakref__ _allow_label_resolve _alt_names _annotate _annotations \
_annotations_cache_key _anon_key_label _anon_label _anon_name_label _anon_tq_key_label \
_anon_tq_label _assert_no_memoizations _bind_param _cache_key_traversal _clone _cloned_set \
_compare_name_for_result _compile_w_cache _compiler _compiler_dispatch _constructor _copy \
_copy_internals _copy_reflect_only_elements _creation_order _ddl_label _de_clone _deannotate \
_dedupe_anon_label_idx _dedupe_anon_tq_label_idx _default_compiler _default_description_tuple \
_default_dialect _dialect_kwargs_traverse_internals _execute_on_connection _execute_on_scalar \
_expanded_proxy_set _expression_label _extra_kwargs _from_objects _gen_annotations_cache_key \
_gen_cache_key _gen_static_annotations_cache_key _gen_tq_label _generate_cache_attrs \
_generate_cache_key _generate_compiler_dispatch _get_embedded_bindparams _hierarchy_supports_caching \
_init_items _insert_sentinel _is_bind_parameter _is_clause_list _is_clone_of \
_is_collection_aggregate _is_column_element _is_from_clause _is_from_container _is_has_cache_key \
_is_immutable _is_implicitly_boolean _is_keyed_column_element _is_lambda_element \
_is_multiparam_column _is_protocol _is_returns_rows _is_select_base _is_select_container \
_is_select_statement _is_singleton_constant _is_star _is_table _is_text_clause _is_textual \
_key_label _kw_reg_for_dialect_cls _kw_registry _label _make_proxy _memoized_keys _merge _negate \
_negate_in_binary _non_anon_label _null_operate _omit_from_statements _on_table_attach \
_onupdate_description_tuple _order_by_label_element _original_compiler_dispatch _post_inspect \
_propagate_attrs _proxies _proxy_key _rconcat _reflect_only_kwargs _render_label_in_columns_clause \
_replace_params _reset_memoizations _role_name _schema_item_copy _select_iterable \
_set_memoized_attribute _set_parent _set_parent_with_dispatch _set_propagate_attrs _set_type \
_setup_on_memoized_fks _tq_key_label _tq_label _traverse_internals _uncached_proxy_list _ungroup \
_use_schema_map _user_defined_nullable _validate_dialect_kwargs _with_annotations \
_with_binary_element_type all_ allows_lambda anon_key_label anon_label any_ append_foreign_key \
argument_for asc autoincrement base_columns between bitwise_and bitwise_lshift bitwise_not \
bitwise_or bitwise_rshift bitwise_xor bool_op cast collate comment comparator compare compile \
computed concat constraints contains copy create_drop_stringify_dialect default desc description \
dialect_kwargs dialect_options dispatch distinct doc endswith entity_namespace expression \
foreign_keys get_children get_dialect_option icontains identity iendswith ilike in_ index info \
inherit_cache is_ is_clause_element is_distinct_from is_dml is_literal is_not is_not_distinct_from \
is_selectable isnot isnot_distinct_from istartswith key kwargs label like match memoized_attribute \
memoized_instancemethod name not_ilike not_in not_like notilike notin_ notlike nullable nulls_first \
nulls_last nullsfirst nullslast onupdate op operate params primary_key proxy_set references \
reflect_only_elements regexp_match regexp_replace reverse_operate self_group server_default \
server_onupdate shares_lineage startswith stringify_dialect supports_execution system table \
timetuple type unique unique_params uses_inspection";

pub const DIR_INDEX: &str = "\
__annotations__ __class__ __class_getitem__ __delattr__ __dict__ __dir__ __doc__ __eq__ __format__ \
__ge__ __getattribute__ __getstate__ __gt__ __hash__ __init__ __init_subclass__ __le__ __lt__ \
__module__ __ne__ __new__ __reduce__ __reduce_ex__ __repr__ __setattr__ __sizeof__ __slots__ __str__ \
__subclasshook__ __visit_name__ __weakref__ _allow_multiple_tables _check_attach _col_expressions \
_column_collection_class _column_flag _columns _compiler_dispatch _copy_reflect_only_elements \
_ddl_if _dialect_kwargs_traverse_internals _generate_compiler_dispatch _init_items \
_kw_reg_for_dialect_cls _kw_registry _original_compiler_dispatch _pending_colargs \
_reflect_only_kwargs _schema_item_copy _set_parent _set_parent_with_dispatch \
_table_bound_expressions _use_schema_map _validate_dialect_kwargs argument_for c columns create \
create_drop_stringify_dialect ddl_if dialect_kwargs dialect_options dispatch drop expressions \
get_dialect_option info kwargs name reflect_only_elements table unique";

pub const DIR_UNIQUECONSTRAINT: &str = "\
__annotations__ __class__ __class_getitem__ __contains__ __delattr__ __dict__ __dir__ __doc__ __eq__ \
__format__ __ge__ __getattribute__ __getstate__ __gt__ __hash__ __init__ __init_subclass__ __iter__ \
__le__ __len__ __lt__ __module__ __ne__ __new__ __reduce__ __reduce_ex__ __repr__ __setattr__ \
__sizeof__ __slots__ __str__ __subclasshook__ __visit_name__ __weakref__ _allow_multiple_tables \
_check_attach _col_expressions _column_collection_class _column_flag _columns _compiler_dispatch \
_copy _copy_reflect_only_elements _create_rule _creation_order _ddl_if \
_dialect_kwargs_traverse_internals _generate_compiler_dispatch _init_items _kw_reg_for_dialect_cls \
_kw_registry _original_compiler_dispatch _pending_colargs _reflect_only_kwargs _schema_item_copy \
_set_parent _set_parent_with_dispatch _should_create_for_compiler _type_bound _use_schema_map \
_validate_dialect_kwargs argument_for c columns comment contains_column copy \
create_drop_stringify_dialect ddl_if deferrable dialect_kwargs dialect_options dispatch \
get_dialect_option info initially kwargs name parent reflect_only_elements table";

pub const DIR_FOREIGNKEYCONSTRAINT: &str = "\
__annotations__ __class__ __class_getitem__ __contains__ __delattr__ __dict__ __dir__ __doc__ __eq__ \
__format__ __ge__ __getattribute__ __getstate__ __gt__ __hash__ __init__ __init_subclass__ __iter__ \
__le__ __len__ __lt__ __module__ __ne__ __new__ __reduce__ __reduce_ex__ __repr__ __setattr__ \
__sizeof__ __slots__ __str__ __subclasshook__ __visit_name__ __weakref__ _allow_multiple_tables \
_append_element _check_attach _col_description _col_expressions _column_collection_class \
_column_flag _columns _compiler_dispatch _copy _copy_reflect_only_elements _create_rule \
_creation_order _ddl_if _dialect_kwargs_traverse_internals _generate_compiler_dispatch _init_items \
_kw_reg_for_dialect_cls _kw_registry _original_compiler_dispatch _pending_colargs _referred_schema \
_reflect_only_kwargs _schema_item_copy _set_parent _set_parent_with_dispatch \
_should_create_for_compiler _type_bound _use_schema_map _validate_dest_table \
_validate_dialect_kwargs argument_for c column_keys columns comment contains_column copy \
create_drop_stringify_dialect ddl_if deferrable dialect_kwargs dialect_options dispatch elements \
get_dialect_option info initially kwargs link_to_name match name ondelete onupdate parent \
referred_table reflect_only_elements table use_alter";

pub const DIR_METADATA: &str = "\
__annotations__ __class__ __class_getitem__ __contains__ __delattr__ __dict__ __dir__ __doc__ __eq__ \
__format__ __ge__ __getattribute__ __getstate__ __gt__ __hash__ __init__ __init_subclass__ __le__ \
__lt__ __module__ __ne__ __new__ __reduce__ __reduce_ex__ __repr__ __setattr__ __setstate__ \
__sizeof__ __slots__ __str__ __subclasshook__ __visit_name__ __weakref__ _add_table \
_compiler_dispatch _fk_memos _generate_compiler_dispatch _init_items _objects \
_original_compiler_dispatch _register_object _remove_table _schema_item_copy _schemas _sequences \
_set_parent _set_parent_with_dispatch _use_schema_map clear create_all create_drop_stringify_dialect \
dispatch drop_all get_schema_object_by_name get_schema_objects info naming_convention reflect remove \
schema schemas sorted_tables tables";


pub const DIR_STR: &str = "\
__add__ __class__ __contains__ __delattr__ __dir__ __doc__ __eq__ __format__ __ge__ __getattribute__ \
__getitem__ __getnewargs__ __getstate__ __gt__ __hash__ __init__ __init_subclass__ __iter__ __le__ \
__len__ __lt__ __mod__ __mul__ __ne__ __new__ __reduce__ __reduce_ex__ __repr__ __rmod__ __rmul__ \
__setattr__ __sizeof__ __str__ __subclasshook__ capitalize casefold center count encode endswith \
expandtabs find format format_map index isalnum isalpha isascii isdecimal isdigit isidentifier \
islower isnumeric isprintable isspace istitle isupper join ljust lower lstrip maketrans partition \
removeprefix removesuffix replace rfind rindex rjust rpartition rsplit rstrip split splitlines \
startswith strip swapcase title translate upper zfill";

pub const DIR_DICT: &str = "\
__class__ __class_getitem__ __contains__ __delattr__ __delitem__ __dir__ __doc__ __eq__ __format__ \
__ge__ __getattribute__ __getitem__ __getstate__ __gt__ __hash__ __init__ __init_subclass__ __ior__ \
__iter__ __le__ __len__ __lt__ __ne__ __new__ __or__ __reduce__ __reduce_ex__ __repr__ __reversed__ \
__ror__ __setattr__ __setitem__ __sizeof__ __str__ __subclasshook__ clear copy fromkeys get items \
keys pop popitem setdefault update values";

pub const DIR_TUPLE: &str = "\
__add__ __class__ __class_getitem__ __contains__ __delattr__ __dir__ __doc__ __eq__ __format__ \
__ge__ __getattribute__ __getitem__ __getnewargs__ __getstate__ __gt__ __hash__ __init__ \
__init_subclass__ __iter__ __le__ __len__ __lt__ __mul__ __ne__ __new__ __reduce__ __reduce_ex__ \
__repr__ __rmul__ __setattr__ __sizeof__ __str__ __subclasshook__ count index";

pub const DIR_LIST: &str = "\
__add__ __class__ __class_getitem__ __contains__ __delattr__ __delitem__ __dir__ __doc__ __eq__ \
__format__ __ge__ __getattribute__ __getitem__ __getstate__ __gt__ __hash__ __iadd__ __imul__ \
__init__ __init_subclass__ __iter__ __le__ __len__ __lt__ __mul__ __ne__ __new__ __reduce__ \
__reduce_ex__ __repr__ __reversed__ __rmul__ __setattr__ __setitem__ __sizeof__ __str__ \
__subclasshook__ append clear copy count extend index insert pop remove reverse sort";

pub const DIR_NONE: &str = "\
__bool__ __class__ __delattr__ __dir__ __doc__ __eq__ __format__ __ge__ __getattribute__ \
__getstate__ __gt__ __hash__ __init__ __init_subclass__ __le__ __lt__ __ne__ __new__ __reduce__ \
__reduce_ex__ __repr__ __setattr__ __sizeof__ __str__ __subclasshook__";

pub const DIR_BOOL: &str = "\
__abs__ __add__ __and__ __bool__ __ceil__ __class__ __delattr__ __dir__ __divmod__ __doc__ __eq__ \
__float__ __floor__ __floordiv__ __format__ __ge__ __getattribute__ __getnewargs__ __getstate__ \
__gt__ __hash__ __index__ __init__ __init_subclass__ __int__ __invert__ __le__ __lshift__ __lt__ \
__mod__ __mul__ __ne__ __neg__ __new__ __or__ __pos__ __pow__ __radd__ __rand__ __rdivmod__ \
__reduce__ __reduce_ex__ __repr__ __rfloordiv__ __rlshift__ __rmod__ __rmul__ __ror__ __round__ \
__rpow__ __rrshift__ __rshift__ __rsub__ __rtruediv__ __rxor__ __setattr__ __sizeof__ __str__ \
__sub__ __subclasshook__ __truediv__ __trunc__ __xor__ as_integer_ratio bit_count bit_length \
conjugate denominator from_bytes imag numerator real to_bytes";

pub const DIR_INT: &str = "\
__abs__ __add__ __and__ __bool__ __ceil__ __class__ __delattr__ __dir__ __divmod__ __doc__ __eq__ \
__float__ __floor__ __floordiv__ __format__ __ge__ __getattribute__ __getnewargs__ __getstate__ \
__gt__ __hash__ __index__ __init__ __init_subclass__ __int__ __invert__ __le__ __lshift__ __lt__ \
__mod__ __mul__ __ne__ __neg__ __new__ __or__ __pos__ __pow__ __radd__ __rand__ __rdivmod__ \
__reduce__ __reduce_ex__ __repr__ __rfloordiv__ __rlshift__ __rmod__ __rmul__ __ror__ __round__ \
__rpow__ __rrshift__ __rshift__ __rsub__ __rtruediv__ __rxor__ __setattr__ __sizeof__ __str__ \
__sub__ __subclasshook__ __truediv__ __trunc__ __xor__ as_integer_ratio bit_count bit_length \
conjugate denominator from_bytes imag numerator real to_bytes";

/// `builtins.__dict__` in order (NameError suggestions look here last).
pub const BUILTINS: &str = "\
__name__ __doc__ __package__ __loader__ __spec__ __build_class__ __import__ abs all any ascii bin \
breakpoint callable chr compile delattr dir divmod eval exec format getattr globals hasattr hash hex \
id input isinstance issubclass iter aiter len locals max min next anext oct ord pow print repr round \
setattr sorted sum vars None Ellipsis NotImplemented False True bool memoryview bytearray bytes \
classmethod complex dict enumerate filter float frozenset property int list map object range \
reversed set slice staticmethod str super tuple type zip __debug__ BaseException BaseExceptionGroup \
Exception GeneratorExit KeyboardInterrupt SystemExit ArithmeticError AssertionError AttributeError \
BufferError EOFError ImportError LookupError MemoryError NameError OSError ReferenceError \
RuntimeError StopAsyncIteration StopIteration SyntaxError SystemError TypeError ValueError Warning \
FloatingPointError OverflowError ZeroDivisionError BytesWarning DeprecationWarning EncodingWarning \
FutureWarning ImportWarning PendingDeprecationWarning ResourceWarning RuntimeWarning SyntaxWarning \
UnicodeWarning UserWarning BlockingIOError ChildProcessError ConnectionError FileExistsError \
FileNotFoundError InterruptedError IsADirectoryError NotADirectoryError PermissionError \
ProcessLookupError TimeoutError IndentationError IndexError KeyError ModuleNotFoundError \
NotImplementedError RecursionError UnboundLocalError UnicodeError BrokenPipeError \
ConnectionAbortedError ConnectionRefusedError ConnectionResetError TabError UnicodeDecodeError \
UnicodeEncodeError UnicodeTranslateError ExceptionGroup EnvironmentError IOError open quit exit \
copyright credits license help";

/// The names of one of the lists above.
pub fn names(list: &'static str) -> impl Iterator<Item = &'static str> {
    list.split_ascii_whitespace()
}
