// The design system: import from "@/components/ui". See README.md beside this file.
export { Alert, ErrorAlert, type AlertTone } from "./alert";
export { Badge, type BadgeTone } from "./badge";
export { Button, buttonClasses, type ButtonProps, type ButtonSize, type ButtonVariant } from "./button";
export { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "./card";
export { Dialog, type DialogProps } from "./dialog";
export { EmptyState } from "./empty-state";
export { Field, type FieldControlProps, type FieldProps } from "./field";
export { controlClasses, Input, Label, Select, Textarea } from "./input";
export { PageHeader } from "./page-header";
export { ProgressBar } from "./progress-bar";
export { Skeleton, Spinner } from "./spinner";
export { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "./table";
export { Tabs, TabsContent, TabsList, TabsTrigger } from "./tabs";
export { ToastProvider, useToast, type ToastInput } from "./toast";
